"""One seed of one depth of Mao et al. Tables 1–2: every initialiser × method in one ensemble.

Methods (Mao et al. 2021, §4): `vanilla` = the base initialiser (Xavier or He normal);
`lsuv` = Mishkin & Matas (2016); `ibci` = the neuron campaign (`campaign.py`) with the config's
per-hidden-layer α; `tie` / `iim` = the campaign scored by the target (α = 1) or input (α = 0)
criterion only in the hidden layers. Every campaign fills the output layer too, with
`output_alpha` (the authors' code: α = 1 there).

All models of a run (`inits` × `methods`) are trained together by the batched trainer on one
minibatch order, so per-seed differences between methods are paired; each model's numbers are
those it gets trained alone (`ibcore.train.batched`).
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.nn import init
from ibcore.nn.mlp import MLP
from replications.mao2021 import campaign
from replications.mao2021.training import load_split, summarise, train

CAMPAIGNS = ("ibci", "tie", "iim")
# α of the hidden layers for the single-criterion ablations; `ibci` takes the config's list
FIXED_ALPHA = {"tie": 1.0, "iim": 0.0}
# The initialiser stream of a model depends on its base init only, so every method of a seed
# starts from the same random numbers (vanilla's weights are the first draws of the stream the
# campaigns draw their pools from). LSUV renormalises the base scale away, so the Xavier and He
# LSUV models are the same procedure on different streams.
INIT_STREAM = {"xavier": 0, "he": 1}


def layer_alphas(method: str, cfg: dict) -> list[float]:
    """One α per linear layer for a campaign method, the output layer's last."""
    n_hidden = len(cfg["widths"]) - 2
    if method == "ibci":
        hidden = [float(a) for a in cfg["alphas"]]
    elif method in FIXED_ALPHA:
        hidden = [FIXED_ALPHA[method]] * n_hidden
    else:
        raise ValueError(f"{method!r} is not a campaign method {CAMPAIGNS}")
    if len(hidden) != n_hidden:
        raise ValueError(f"need one alpha per hidden layer ({n_hidden}), got {hidden}")
    return [*hidden, float(cfg["output_alpha"])]


def initialise(
    model: MLP, kind: str, method: str, cfg: dict, x: torch.Tensor, y: torch.Tensor,
    g: torch.Generator,
) -> list[campaign.Campaign]:
    """Apply `method` with base initialiser `kind` in place; returns the campaigns (empty for
    vanilla and LSUV)."""
    if method == "vanilla":
        init.init_base(model, kind, g)
        return []
    if method == "lsuv":
        batch = x[torch.randperm(len(x), generator=g)[: cfg["lsuv_batch"]]]
        init.lsuv(model, batch, g, tol=cfg["lsuv_tol"], max_iter=cfg["lsuv_max_iter"])
        return []
    options = campaign.Options(pool_factor=cfg["pool_factor"], pool_cap=cfg["pool_cap"],
                               score=cfg["score"], class_groups=cfg["class_groups"])
    return campaign.ibci(model, x, y, kind, layer_alphas(method, cfg), g, options)


def run(cfg: dict, ctx: RunContext) -> dict:
    """Train every init × method of one depth; metrics per ``<init>.<method>``: minimal test
    error (%), its epoch, the final error and the per-epoch curve; ``epochs`` at the top."""
    split = load_split(cfg["n_train"], 0, cfg["n_test"], ctx.numpy_rng(0))
    n_score = cfg["n_score"] if cfg["n_score"] > 0 else len(split.train_x)
    x, y = split.train_x[:n_score], split.train_y[:n_score]
    names, models, arrays = [], [], {}
    metrics: dict = {"epochs": cfg["epochs"]}
    for kind in cfg["inits"]:
        for method in cfg["methods"]:
            model = MLP(cfg["widths"], act="relu")
            g = ctx.torch_generator(2, INIT_STREAM[kind])
            campaigns = initialise(model, kind, method, cfg, x, y, g)
            names.append((kind, method))
            models.append(model)
            metrics.setdefault(kind, {})[method] = {}
            if campaigns:
                first = campaigns[0]  # the first hidden layer: the score-distribution figure
                chosen = np.zeros(len(first.scores), dtype=bool)
                chosen[first.chosen] = True
                arrays[f"{kind}_{method}_scores"] = first.scores
                arrays[f"{kind}_{method}_chosen"] = chosen
                metrics[kind][method]["pool"] = [len(c.scores) for c in campaigns]
    curves = train(models, split, cfg["epochs"], cfg["lr"], cfg["batch_size"], ctx)
    for (kind, method), c in zip(names, curves, strict=True):
        metrics[kind][method].update({**summarise(c["test"]), "curve": c["test"]})
    if arrays:
        ctx.save_arrays(**arrays)
    return metrics
