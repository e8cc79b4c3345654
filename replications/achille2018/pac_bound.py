"""Experiment 4 — a non-vacuous PAC-Bayes bound from the weight IB Lagrangian.

Achille & Soatto (JMLR 2018, §4, eq. 6 at β = 1) note that the IB Lagrangian for the weights
is a PAC-Bayes objective. We train a Gaussian-posterior network on *binary* MNIST (digits 0–4
vs 5–9, the task of Dziugaite & Roy, UAI 2017) at β = 1 and bound the test error of the
stochastic (Gibbs) classifier with the Langford–Seeger kl bound and McAllester's bound
(`ibcore.pacbayes`). The prior N(w₀, σ_p²) is centred at the network's random initialisation
w₀ — data-independent, as the bound requires — with σ_p fixed in the config (no union bound
over σ_p is needed because it is not tuned).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch

from ibcore import pacbayes
from ibcore.context import RunContext
from replications.achille2018 import data, weight_ib
from replications.achille2018.fit import TRAIN_KEYS, build


def centred_kl(
    model: torch.nn.Module, prior_sigma: float
) -> Callable[[torch.nn.Module], torch.Tensor]:
    """KL(q ‖ N(w₀, σ_p²)) summed over the layers, with w₀ = the means as they are now."""
    log_s = torch.tensor(math.log(prior_sigma))
    w0 = [layer.posterior_params()[0].detach().clone() for layer in model.layers]
    return lambda m: torch.stack(
        [lay.kl_to(mu, log_s) for lay, mu in zip(m.layers, w0, strict=True)]
    ).sum()


def run(cfg: dict, ctx: RunContext) -> dict:
    split = data.subset(
        ctx.numpy_rng(0), cfg["n_train"], "real", cfg["pool"], cfg["n_test"], binary=True
    )
    model = build(cfg, split.x.shape[1], 2, int(ctx.torch_generator(1).initial_seed()))
    kl_fn = centred_kl(model, cfg["prior_sigma"])
    result = weight_ib.train(
        model,
        split.x,
        split.y,
        cfg["beta"],
        ctx.torch_generator(2),
        kl_fn=kl_fn,
        **{k: cfg[k] for k in TRAIN_KEYS},
    )
    draws = cfg["eval_draws"]
    train_err = weight_ib.sampled_error(model, split.x, split.y, draws)
    test_err = weight_ib.sampled_error(model, split.test_x, split.test_y, draws)
    with torch.no_grad():
        kl = kl_fn(model).item()
    n = cfg["n_train"]
    bounds = pacbayes.gibbs_bound(train_err, n * draws, kl, n, cfg["delta"] / 2, cfg["delta"] / 2)
    return {
        "n_train": n,
        "kl": kl,
        "kl_per_sample": kl / n,
        "train_error": train_err,
        "test_error": test_err,
        "bound": bounds,
        "steps": result.steps,
        "converged": int(result.converged),
    }
