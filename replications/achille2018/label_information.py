"""Experiment 2 — information in the weights vs the fraction of corrupted labels (Achille &
Soatto, JMLR 2018, §7.1, Fig. 2 right).

The same N images with a fraction p ∈ `fractions` of their labels replaced by uniform random
ones (nested sets, `data.corrupted_labels`), one network per p, trained as one ensemble at the
fixed `beta` (chosen before running, a factor of several below the critical β = 1). A network
that memorises N random labels must store at least N · ln 10 nats more than one fitting real
labels (which the image predicts); the paper finds ≈ 3 nats per sample more for p = 1 than for
p = 0 and the information growing with p.

The paper's quantity is the *difference* random − real (`difference_random_minus_real`): the
absolute KL/N carries the arbitrary constant of the improper log-uniform prior
(`ibcore.train.noisy_weights`), which cancels in the difference (same network, same weights).
"""

from __future__ import annotations

import math

import torch

from ibcore.context import RunContext
from replications.achille2018 import data
from replications.achille2018.fit import evaluate, fit_ensemble

LN10 = math.log(10)


def run(cfg: dict, ctx: RunContext) -> dict:
    fractions = sorted(float(p) for p in cfg["fractions"])
    if fractions[0] != 0.0 or fractions[-1] != 1.0:
        raise ValueError("fractions must run from 0 (real labels) to 1 (random labels)")
    n, levels = cfg["n_train"], len(fractions)
    split = data.subset(ctx.numpy_rng(0, n), n, "real", cfg["pool"])
    labels = data.corrupted_labels(ctx.numpy_rng(4, n), split.y, fractions)  # (L, N)
    # shared images, one label set per model: the stack trains on L stacked copies of the data
    x = split.x.repeat(levels, 1)
    y = labels.reshape(-1)
    subsets = torch.arange(levels * n).reshape(levels, n)
    model, conv = fit_ensemble(
        cfg, ctx, x, y, [float(cfg["beta"])] * levels, stream=0, subsets=subsets
    )
    ev = evaluate(model, split.x.expand(levels, *split.x.shape), labels, n, cfg["eval_draws"])
    kl = ev["kl_per_sample"]
    return {
        "beta": float(cfg["beta"]),
        "fractions": fractions,
        "kl_per_sample": kl,
        "train_error": ev["train_error"],
        "steps": conv["steps"],
        "converged": conv["converged"],
        "converged_fraction": sum(conv["converged"]) / levels,
        "random_kl_per_sample": kl[-1],
        "real_kl_per_sample": kl[0],
        "random_train_error": ev["train_error"][-1],
        "difference_random_minus_real": kl[-1] - kl[0],
        "difference_over_ln10": (kl[-1] - kl[0]) / LN10,
        "ln10": LN10,
    }
