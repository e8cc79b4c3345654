"""KSG speed against the reference algorithm (run on demand; not part of pytest).

    .venv/bin/python benchmarks/bench_ksg.py

The reference is the algorithm of the NPEET toolbox (Ver Steeg's non-parametric entropy
estimation toolbox), re-implemented here from its description, not copied: scikit-learn
``KDTree(metric="chebyshev")`` for the k-th neighbour distance in the joint space and for
the marginal counts ``query_radius(r - 1e-15, count_only=True)`` (self included, hence
psi(count) rather than psi(n_x + 1)), then Kraskov et al. Eq. 8. Both sides get the same
tie-free data and the same k; timings are the median of ``REPEAT`` calls (wall and CPU),
with the load average read before and after. Agreement is checked with ``jitter=0`` and
``standardize=False`` so both compute on identical numbers.

Writes benchmarks/results/ksg_vs_reference.csv.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import digamma
from sklearn.neighbors import KDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ibcore.mi as mi  # noqa: E402
from ibcore.mi.synthetic import correlated_gaussians  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "ksg_vs_reference.csv"
REPEAT = 5
#: (N, dimension of x and of y): the three shapes of the issue, plus a smaller 1-D one
TASKS = [(10_000, 1), (100_000, 1), (20_000, 2), (5_000, 5)]
K = 3


def reference_ksg_bits(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """NPEET's KSG: one sklearn tree per space, radius shrunk by 1e-15 for the strict '<'."""
    z = np.hstack([x, y])
    dvec = KDTree(z, metric="chebyshev").query(z, k=k + 1)[0][:, k]
    avg = []
    for a in (x, y):
        counts = KDTree(a, metric="chebyshev").query_radius(a, dvec - 1e-15, count_only=True)
        avg.append(np.mean(digamma(counts)))
    return float((digamma(k) + digamma(len(x)) - avg[0] - avg[1]) / np.log(2))


def median_time(fn, *args, **kw) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(REPEAT):
        w, c = time.perf_counter(), time.process_time()
        fn(*args, **kw)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return float(np.median(walls)), float(np.median(cpus))


def main() -> None:
    rows = []
    for n, d in TASKS:
        x, y, true = correlated_gaussians(n, d, 0.6, random_state=0)
        load = os.getloadavg()[0]
        ours, ours_cpu = median_time(mi.estimate, x, y, method="ksg", k=K)
        ref, ref_cpu = median_time(reference_ksg_bits, x, y, K)
        both, _ = median_time(mi.estimate, x, y, method="ksg", k=K, workers=-1)
        same = mi.estimate(x, y, method="ksg", k=K, jitter=0.0, standardize=False)
        rows.append({
            "n": n, "dim_x": d, "dim_y": d, "k": K, "true_bits": true,
            "ours_bits": same, "reference_bits": reference_ksg_bits(x, y, K),
            "ours_s": ours, "ours_cpu_s": ours_cpu, "reference_s": ref,
            "reference_cpu_s": ref_cpu, "ratio_ours_over_reference": ours / ref,
            "ours_all_cores_s": both, "load_before": load, "load_after": os.getloadavg()[0],
        })
        rows[-1]["abs_diff_bits"] = abs(rows[-1]["ours_bits"] - rows[-1]["reference_bits"])
        print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in rows[-1].items()},
              flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(OUT, index=False, float_format="%.6g")


if __name__ == "__main__":
    main()
