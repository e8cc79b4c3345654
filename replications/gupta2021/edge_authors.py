"""EDGE as the authors' information-plane code runs it (Noshad, Zeng & Hero 2019).

Rewritten from the description of ``information_plane/EDGE_4_2_0.py`` and ``main.py`` of
github.com/mrtnoshad/EDGE (the estimator of the paper's Sec. 3-5 with the authors' settings):

* **p-stable projection** (Sec. 5): each variable is projected, ``a -> a W``, to
  d' = min(d, floor(log2(N / 10))) coordinates (9 for N = 10,000), W_kl ~ N(0, 1 / (s_k² d)),
  s_k the sd of feature k (1 when below 1e-4), so raw images (784-d) and layers alike become
  about 9 Gaussian mixtures of standardised features.
* **bandwidth**: per projected coordinate, the mean distance from 500 random points to their
  k-th nearest neighbour in that coordinate (self included),
  k = floor(0.43 N^(2/3 + 0.17 d'/(d'+1)) exp(-1 / max(10^4, d'^4))), plus 1e-4; or a fixed
  value. The cell width is that times 3 d' gamma, gamma the per-variable smoothness.
* **ensemble**: L bandwidths eps x t, t = linspace(1, 1.1, L), shift j/L of a cell for member
  j, H1 = floor((a W + b) / eps) coded injectively; each member is the plug-in
  sum_ij (N_ij / N) max(min(log2 w_ij, U), 0.001) (`ibcore.mi.edge.edge_plugin`), and the
  estimate is the median over members.
* **bandwidth normalisation**: gamma is multiplied by 2^(-sqrt(2 I) + 0.5 / I) with I the first
  estimate, and the estimate is recomputed once with the new gamma.

`main.py` calls it per hidden layer with X = the raw images, U = 20, L = 10, gamma =
(0.2, [0.8, 1.0, 1.2, 1.8][layer]) and automatic bandwidths for I(X;T), and with X = the class
label, U = 10, gamma = (0.0001, [0.4, 0.5, 0.6, 0.8][layer]) and fixed bandwidths 0.2 for I(T;Y).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ibcore.mi.binning import row_codes
from ibcore.mi.edge import edge_plugin

#: per-layer smoothness gamma of T in the authors' main.py, for I(X;T) and for I(T;Y)
GAMMA_XT = (0.8, 1.0, 1.2, 1.8)
GAMMA_TY = (0.4, 0.5, 0.6, 0.8)
GAMMA_X, GAMMA_Y = 0.2, 0.0001  # smoothness of the images and of the label
U_XT, U_TY = 20.0, 10.0
FIXED_EPS_TY = 0.2
N_QUERIES = 500  # random points for the nearest-neighbour bandwidth
PER_EDGE_FLOOR = 0.001  # bits: the authors' floor on each edge's pointwise term


def projected_dim(d: int, n: int) -> int:
    """d' = min(d, floor(log2(N / 10))): the authors' p-stable output dimension."""
    return max(1, min(d, math.floor(math.log(n / 10.0, 2))))


def knn_k(n: int, d: int) -> int:
    """The authors' neighbour rank for the bandwidth, from N and the projected dimension."""
    k = math.floor(0.43 * n ** (2 / 3 + 0.17 * d / (d + 1)) * math.exp(-1.0 / max(10000, d**4)))
    return int(min(max(k, 1), n))


@dataclass
class Side:
    """One variable, projected, with its nearest-neighbour bandwidth per coordinate."""

    coords: np.ndarray  # (N, d') projected samples
    knn_eps: np.ndarray  # (d',) mean k-NN distance per coordinate, + 1e-4


def prepare(a: np.ndarray, rng: np.random.Generator) -> Side:
    """Project ``a`` (N, d) by a p-stable matrix and measure its k-NN bandwidths."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    n, d = a.shape
    dp = projected_dim(d, n)
    std = a.std(axis=0)
    std = np.where(std < 1e-4, 1.0, std)
    w = rng.standard_normal((d, dp)) / (std[:, None] * np.sqrt(d))
    coords = a @ w
    k = knn_k(n, dp)
    eps = np.empty(dp)
    for c in range(dp):
        col = coords[:, c]
        q = col[rng.integers(0, n, size=N_QUERIES)]
        dist = np.abs(col[None, :] - q[:, None])  # (500, N)
        eps[c] = np.partition(dist, k - 1, axis=1)[:, k - 1].mean()
    return Side(coords, eps + 1e-4)


def _codes(side: Side, eps: np.ndarray, frac: float) -> np.ndarray:
    return row_codes(np.floor((side.coords + frac * eps) / eps).astype(np.int64))


def _median_estimate(sx: Side, sy: Side, ex: np.ndarray, ey: np.ndarray, u: float,
                     n_members: int, range_factor: float) -> float:
    t = np.linspace(1.0, 1.0 + range_factor, n_members)
    shifts = np.linspace(0.0, 1.0, n_members, endpoint=False)
    base = [
        edge_plugin(_codes(sx, ex * t[j], shifts[j]), _codes(sy, ey * t[j], shifts[j]),
                    u, PER_EDGE_FLOOR)
        for j in range(n_members)
    ]
    return float(np.median(base))


def authors_edge(sx: Side, sy: Side, u: float, gamma: tuple[float, float],
                 fixed_eps: float | None = None, n_members: int = 10,
                 range_factor: float = 0.1) -> float:
    """EDGE_4_2_0's estimate in bits of I(X;Y) from two prepared sides (module docstring)."""
    base_x = sx.knn_eps if fixed_eps is None else np.full(sx.coords.shape[1], fixed_eps)
    base_y = sy.knn_eps if fixed_eps is None else np.full(sy.coords.shape[1], fixed_eps)
    gx, gy = gamma
    scale_x, scale_y = 3.0 * sx.coords.shape[1], 3.0 * sy.coords.shape[1]
    first = _median_estimate(sx, sy, base_x * scale_x * gx, base_y * scale_y * gy, u,
                             n_members, range_factor)
    factor = 2.0 ** (-math.sqrt(2.0 * first) + 0.5 / first)  # first >= 0.001 by the floor
    return _median_estimate(sx, sy, base_x * scale_x * gx * factor,
                            base_y * scale_y * gy * factor, u, n_members, range_factor)


def layer_point(images: Side, labels: Side, t: np.ndarray, layer: int,
                rng: np.random.Generator) -> tuple[float, float]:
    """(I(X;T), I(T;Y)) of hidden layer ``layer`` (0-based) with the authors' settings."""
    st = prepare(t, rng)
    g = min(layer, len(GAMMA_XT) - 1)
    ixt = authors_edge(images, st, U_XT, (GAMMA_X, GAMMA_XT[g]))
    ity = authors_edge(labels, st, U_TY, (GAMMA_Y, GAMMA_TY[g]), fixed_eps=FIXED_EPS_TY)
    return ixt, ity
