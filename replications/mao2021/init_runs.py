"""One seed of one Table 1 / Table 2 cell: initialise a ReLU MLP, train it, record test error.

Methods (Mao et al. 2021, §4): `vanilla` = the base initialiser (Xavier or He normal);
`lsuv` = Mishkin & Matas (2016); `ibci` = the neuron campaign with per-layer α from the config;
`tie` / `iim` = the campaign scored by the target (α = 1) or input (α = 0) criterion only.
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.nn import init
from ibcore.nn.mlp import MLP
from replications.mao2021.training import load_split, summarise, train

# Which α each campaign method uses; `ibci` takes the per-layer list from the config.
FIXED_ALPHA = {"tie": 1.0, "iim": 0.0}
# LSUV ignores the base initialiser's scale (it renormalises), so the Xavier and He LSUV rows
# are the same procedure; a distinct random stream per row keeps them independent draws.
INIT_STREAM = {"xavier": 0, "he": 1}


def initialise(model: MLP, cfg: dict, x: torch.Tensor, y: torch.Tensor, g: torch.Generator):
    """Apply `cfg["method"]` in place; returns the IBCI campaigns (empty for other methods)."""
    method, kind = cfg["method"], cfg["init"]
    if method == "vanilla":
        init.init_base(model, kind, g)
        return []
    if method == "lsuv":
        batch = x[torch.randperm(len(x), generator=g)[: cfg["lsuv_batch"]]]
        init.lsuv(model, batch, g, tol=cfg["lsuv_tol"], max_iter=cfg["lsuv_max_iter"])
        return []
    n_hidden = len(cfg["widths"]) - 2
    alphas = [FIXED_ALPHA[method]] * n_hidden if method in FIXED_ALPHA else cfg["alphas"]
    if method not in FIXED_ALPHA and method != "ibci":
        raise ValueError(f"unknown method {method!r}")
    return init.ibci(model, x, y, kind, [float(a) for a in alphas], g)


def run(cfg: dict, ctx: RunContext) -> dict:
    """Train one initialised MLP; metrics: min test error (%), its epoch, the per-epoch curve."""
    split = load_split(cfg["n_train"], 0, cfg["n_test"], ctx.numpy_rng(0))
    model = MLP(cfg["widths"], act="relu")
    n_score = cfg["n_score"] if cfg["n_score"] > 0 else len(split.train_x)
    campaigns = initialise(
        model, cfg, split.train_x[:n_score], split.train_y[:n_score],
        ctx.torch_generator(2, INIT_STREAM[cfg["init"]]),
    )
    (curves,) = train([model], split, cfg["epochs"], cfg["lr"], cfg["batch_size"], ctx)
    metrics = {**summarise(curves["test"]), "curve": curves["test"]}
    if campaigns:
        first = campaigns[0]  # the first hidden layer: the score distribution figure
        chosen = np.zeros(len(first.scores), dtype=bool)
        chosen[first.chosen] = True
        ctx.save_arrays(scores=first.scores, tie=first.tie, iim=first.iim, chosen=chosen)
        metrics["score_chosen_mean"] = float(first.scores[chosen].mean())
        metrics["score_rejected_mean"] = float(first.scores[~chosen].mean())
    return metrics
