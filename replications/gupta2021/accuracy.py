"""EDGE vs KSG accuracy against exact MI (Noshad, Zeng & Hero 2019, Sec. 6, Figs. 2-3).

For each test distribution of :mod:`ground_truth` and each sample size N, ``trials``
independent samples are drawn; all estimators see the same samples: ``edge_authors`` (the
authors' EDGE_4_2_0 with its defaults, :mod:`edge_authors`: p-stable hash, k-NN bandwidth,
U = 10, gamma = 1, five members of equal bandwidth, median), ``edge`` (`ibcore.mi.EdgeMI`) and
KSG. The per-N mean squared error against the quadrature truth is the paper's accuracy
measure ("MSE falls with N, and lies below KSG's"); ``fall`` is how many decades the MSE drops
from the smallest to the largest N, the worst distribution's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ibcore.mi as mi
from ibcore.context import RunContext
from replications.gupta2021 import edge_authors
from replications.gupta2021.ground_truth import DISTRIBUTIONS

METHODS = ("edge_authors", "edge", "ksg")


def _edge_authors(x: np.ndarray, y: np.ndarray, state: int) -> float:
    """EDGE_4_2_0 with its defaults: U = 10, gamma = (1, 1), L = 5 members at one bandwidth."""
    rng = np.random.default_rng(state)
    sx, sy = edge_authors.prepare(x, rng), edge_authors.prepare(y, rng)
    return edge_authors.authors_edge(sx, sy, 10.0, (1.0, 1.0), n_members=5, range_factor=0.0)


def key(dist: str) -> str:
    """A distribution name usable in a dotted metric path (uniform_a0.2 -> uniform_a0_2)."""
    return dist.replace(".", "_")


def _ksg(x: np.ndarray, y: np.ndarray, k: int, state: int) -> float:
    # KSG needs floats; a discrete X (the mixture) then behaves like Ross's (2014)
    # discrete-continuous estimator, since ties in X sit at distance ~0. One worker: the
    # runner gives each run one core. ``state`` (from the run's seed) draws the tie-breaking
    # jitter.
    return mi.estimate(x.astype(np.float64), y, method="ksg", k=k, workers=1,
                       random_state=state)


def run(cfg: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """MSE of EDGE and KSG vs N for every test distribution; one seed."""
    rng = ctx.numpy_rng(1)
    ns = [int(n) for n in cfg["n_grid"]]
    edge_params = {"n_estimators": cfg["edge_n_estimators"], "hash": cfg["edge_hash"]}
    truth: dict[str, float] = {}
    shape = (len(cfg["distributions"]), len(ns), cfg["trials"])
    est = {m: np.zeros(shape) for m in METHODS}
    for di, name in enumerate(ctx.progress(cfg["distributions"], desc="accuracy")):
        dist = DISTRIBUTIONS[name]
        truth[name] = dist.true_mi()
        for ni, n in enumerate(ns):
            for t in range(cfg["trials"]):
                x, y = dist.sample(n, rng)
                state = int(rng.integers(2**31))
                est["edge"][di, ni, t] = mi.estimate(
                    x, y, method="edge", random_state=state, **edge_params
                )
                est["ksg"][di, ni, t] = _ksg(x, y, cfg["ksg_k"], state)
                est["edge_authors"][di, ni, t] = _edge_authors(x, y, state)
    true_vec = np.array([truth[d] for d in cfg["distributions"]])[:, None, None]
    out: dict[str, Any] = {"truth": truth, "n": ns}
    for method, e in est.items():
        mse = ((e - true_vec) ** 2).mean(axis=2)
        bias = (e - true_vec).mean(axis=2)
        log_mse = np.log10(mse)
        out[method] = {
            "mse": {d: mse[i].tolist() for i, d in enumerate(cfg["distributions"])},
            "bias": {d: bias[i].tolist() for i, d in enumerate(cfg["distributions"])},
            # one series per distribution, as the `monotone` rule reads it
            "log10_mse": log_mse.tolist(),
            "mean_log10_mse": float(log_mse.mean()),
            "mean_log10_mse_by": {key(d): float(log_mse[i].mean())
                                  for i, d in enumerate(cfg["distributions"])},
            "fall": float((log_mse[:, 0] - log_mse[:, -1]).min()),
        }
    ctx.save_arrays(**{f"{m}_estimates": e for m, e in est.items()})
    return out
