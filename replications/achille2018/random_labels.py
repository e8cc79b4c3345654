"""Experiment 1 — the random-label phase transition (Achille & Soatto, JMLR 2018, §7.1, Fig. 2).

For each β on the grid a fresh log-uniform-prior network (multiplicative weight noise) is
trained on N images with uniformly random labels by minimising the weight IB Lagrangian; we
record the training error of the stochastic network and the information in the weights KL/N.
The theory (§7.1) predicts memorisation (error ≈ 0) for small β, under-fitting (error ≈ 90 %)
for large β, and a sharp switch between them before β = 1, because memorising a random label
costs at least ln 10 nats of weight information and saves at most ln 10 nats of cross-entropy.

The whole β grid runs inside one run (one seed): the points share the data subset and labels,
and the runner parallelises over seeds (`--jobs`), so two seeds keep both cores busy.
"""

from __future__ import annotations

from ibcore.context import RunContext
from replications.achille2018 import transition
from replications.achille2018.fit import fit_point


def run(cfg: dict, ctx: RunContext) -> dict:
    betas = sorted(float(b) for b in cfg["betas"])
    points = [
        fit_point(cfg, ctx, beta=beta, labels="random", n_train=cfg["n_train"], stream=i)
        for i, beta in enumerate(ctx.progress(betas, desc="β grid"))
    ]
    errors = [p["train_error"] for p in points]
    return {
        "betas": betas,
        "train_error": errors,
        "kl_per_sample": [p["kl_per_sample"] for p in points],
        "steps": [p["steps"] for p in points],
        "converged": [p["converged"] for p in points],
        "transition": transition.summarise(betas, errors, cfg["beta_check"]),
    }
