"""One training of a Bayesian MLP with the weight IB Lagrangian, summarised as metrics."""

from __future__ import annotations

import torch

from ibcore.context import RunContext
from ibcore.nn.bayes import BayesMLP
from replications.achille2018 import data, weight_ib

# Settings every weight-information experiment shares; `cfg` keys of the same names override.
TRAIN_KEYS = ("lr", "noise_lr", "batch_size", "max_steps", "min_steps", "window", "tol")


def build(cfg: dict, n_in: int, n_out: int, generator_seed: int) -> BayesMLP:
    """The network of `cfg` (`hidden` widths, `prior` "loguniform" or "gaussian")."""
    torch.manual_seed(generator_seed)  # initialisation depends on the run's seed and the point
    kw = (
        {"init_log_alpha": cfg["init_log_alpha"], "log_alpha_max": cfg["log_alpha_max"]}
        if cfg["prior"] == "loguniform"
        else {"prior_sigma": cfg["prior_sigma"], "init_log_sigma": cfg["init_log_sigma"]}
    )
    return BayesMLP([n_in, *cfg["hidden"], n_out], layer=cfg["prior"], act="relu", **kw)


def fit_point(
    cfg: dict, ctx: RunContext, beta: float, labels: str, n_train: int, stream: int
) -> dict:
    """Train at one β on a fresh subset (same subset for every `stream` of a run)."""
    split = data.subset(ctx.numpy_rng(0, n_train), n_train, labels, cfg["pool"])
    seed = int(ctx.torch_generator(1, stream).initial_seed())
    model = build(cfg, split.x.shape[1], data.N_CLASSES, seed)
    result = weight_ib.train(
        model,
        split.x,
        split.y,
        beta,
        ctx.torch_generator(2, stream),
        **{k: cfg[k] for k in TRAIN_KEYS},
    )
    kl = model.kl().item()
    return {
        "beta": beta,
        "train_error": weight_ib.sampled_error(model, split.x, split.y, cfg["eval_draws"]),
        "kl": kl,
        "kl_per_sample": kl / n_train,
        "steps": result.steps,
        "converged": int(result.converged),
        "final_rel_change": result.final_rel_change,
    }
