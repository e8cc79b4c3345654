"""Runtime of EDGE vs KSG as N grows (Noshad, Zeng & Hero 2019, Sec. 6, runtime figure).

The claim is EDGE's O(N) cost: on log-log axes its runtime has slope about 1, while a
k-NN estimator (KSG, O(N log N) with a k-d tree, worse in practice) is steeper. We time
both on the same samples (uniform-noise distribution, d_x = d_y = 2), take the fastest of
``repeats`` calls (the least disturbed by other load on the machine), and fit the slope
of log10(seconds) against log10(N) by least squares.

Wall-clock times are not byte-reproducible; this is the one metric of the replication that
varies between identical runs (README, Deviations).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

import ibcore.mi as mi
from ibcore.context import RunContext
from replications.gupta2021.ground_truth import DISTRIBUTIONS


def best_time(fn: Callable[[], float], repeats: int) -> float:
    """Fastest wall time in seconds over ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def loglog_slope(ns: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log10(seconds) on log10(N)."""
    return float(np.polyfit(np.log10(ns), np.log10(seconds), 1)[0])


def run(cfg: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Seconds per estimate of EDGE and KSG over ``n_grid``; log-log slopes."""
    rng = ctx.numpy_rng(2)
    dist = DISTRIBUTIONS[cfg["distribution"]]
    ns = [int(n) for n in cfg["n_grid"]]
    methods: dict[str, dict[str, Any]] = {
        "edge": {"method": "edge", "n_estimators": cfg["edge_n_estimators"], "hash": "floor",
                 "random_state": ctx.seed},
        "ksg": {"method": "ksg", "k": cfg["ksg_k"], "workers": 1, "random_state": ctx.seed},
    }
    seconds: dict[str, list[float]] = {m: [] for m in methods}
    for n in ctx.progress(ns, desc="runtime"):
        x, y = dist.sample(n, rng)
        for name, params in methods.items():
            call = partial(mi.estimate, x, y, **params)
            seconds[name].append(best_time(call, cfg["repeats"]))
    return {
        "n": ns,
        **{m: {"seconds": s, "slope": loglog_slope(ns, s)} for m, s in seconds.items()},
    }
