"""How many ε-cells Gupta's XOR vector hash merges (Gupta, IIT Mandi 2021, EDGE variant).

The XOR variant of `ibcore.mi.EdgeMI` (``hash="xor"``) maps each coordinate's cell index k_i to
h1(k_i) = floor(k_i c T) mod T (table size T = 2^20, c = (sqrt 5 - 1) / 2, Knuth's multiplicative
hash) and combines the coordinates by XOR. XOR is symmetric and cancels equal terms, so cells
whose index vectors differ by a permutation, or by a pair of equal entries, get the same code.

The collision rate of a layer is 1 - (distinct XOR codes) / (distinct ε-cells), both computed
with the same standardisation, bandwidth and random shift as the base member (t = 1) of the
estimate: 0 when the hash keeps every occupied cell apart, near 1 when it merges most of them.
"""

from __future__ import annotations

import numpy as np

from ibcore.mi.edge import EdgeMI


def base_bandwidth(n: int, d: int, epsilon: float | None) -> float:
    """ε_0 of `EdgeMI` in sd units: the given value, or 3 N^(-1/(2d)) (d = the layer's width,
    the other variable being discrete: the sample index or the label)."""
    return float(epsilon) if epsilon is not None else 3.0 * n ** (-0.5 / d)


def xor_collision_rate(t: np.ndarray, epsilon: float | None, seed: int) -> float:
    """Share of the occupied ε-cells of ``t`` that the XOR hash merges into another's code."""
    t = np.asarray(t, dtype=np.float64)
    eps = base_bandwidth(t.shape[0], t.shape[1], epsilon)
    floor, xor = EdgeMI(hash="floor"), EdgeMI(hash="xor")
    ts = floor._standardise(t, np.random.default_rng(seed))
    cells = floor._codes(ts, eps, np.random.default_rng(seed))
    codes = xor._codes(ts, eps, np.random.default_rng(seed))  # the same shift b
    n_cells = np.unique(cells).size
    return float(1.0 - np.unique(codes).size / n_cells)
