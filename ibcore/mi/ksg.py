"""Kraskov-Stoegbauer-Grassberger k-nearest-neighbour MI and Kozachenko-Leonenko entropy.

Kraskov, Stoegbauer & Grassberger (2004), "Estimating mutual information",
Phys. Rev. E 69, 066138, algorithm 1 (Eq. 8)::

    I(X;Y) = psi(k) + psi(N) - < psi(n_x + 1) + psi(n_y + 1) >

with the max-norm in the joint space Z = (X, Y), eps_i the distance from z_i to its k-th
neighbour, and n_x(i) (n_y(i)) the number of points j != i with ||x_i - x_j|| < eps_i
(strictly less; max-norm in each marginal space).

Kozachenko & Leonenko (1987) entropy, as written in Kraskov et al. Eq. (20)::

    H(X) = -psi(k) + psi(N) + log c_d + d/N sum_i log(2 r_i)

with r_i the max-norm distance to the k-th neighbour, for which the unit ball of diameter
1 has volume c_d = 1 (the max-norm "ball" of radius r is a cube of side 2r).

Counting uses ``scipy.spatial.cKDTree.query_ball_point(..., return_length=True)`` with the
radius one ulp below eps_i, which turns the closed-ball query into the strict inequality.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from ._base import LN2, Estimator
from ._validate import as_pair, as_samples, check_int_at_least, require_continuous

__all__ = ["KSGMI", "ksg_mi", "kl_entropy"]


def _prepare(
    a: np.ndarray, standardize: bool, jitter: float, rng: np.random.Generator
) -> np.ndarray:
    a = np.array(a, dtype=np.float64)  # a copy: never perturb the caller's data
    std = a.std(axis=0)
    std[std == 0] = 1.0
    if standardize:
        # the max-norm mixes coordinates; unit variance keeps one feature from dominating
        # eps (Kraskov et al. Sec. IV rescale to unit variance too). MI is invariant to it.
        a /= std
        std = np.ones_like(std)
    if jitter:
        # break ties (e.g. ReLU zeros, quantised data) which would make eps_i = 0
        a += jitter * std * rng.standard_normal(a.shape)
    return a


def _knn_radius(z: np.ndarray, k: int, workers: int) -> np.ndarray:
    dist, _ = cKDTree(z).query(z, k=k + 1, p=np.inf, workers=workers)
    return dist[:, -1]


def _count_within(a: np.ndarray, radius: np.ndarray, workers: int) -> np.ndarray:
    # strict "< eps": query the closed ball of radius nextafter(eps, 0); minus the point itself
    r = np.nextafter(radius, 0.0)
    counts = cKDTree(a).query_ball_point(a, r, p=np.inf, return_length=True, workers=workers)
    return np.asarray(counts) - 1


def ksg_mi(x: np.ndarray, y: np.ndarray, k: int, workers: int = 1) -> float:
    """KSG algorithm 1 on already prepared float arrays; returns nats (may be < 0)."""
    n = x.shape[0]
    eps = _knn_radius(np.hstack([x, y]), k, workers)
    if not (eps > 0).all():
        raise ValueError(
            "ksg: duplicated samples give a zero k-NN distance; use jitter > 0 "
            "(and a random_state) for tied or quantised data"
        )
    nx = _count_within(x, eps, workers)
    ny = _count_within(y, eps, workers)
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))


def kl_entropy(x: np.ndarray, k: int, workers: int = 1) -> float:
    """Kozachenko-Leonenko entropy (nats) with the max-norm, Kraskov et al. Eq. (20)."""
    n, d = x.shape
    r = _knn_radius(x, k, workers)
    if not (r > 0).all():
        raise ValueError("ksg entropy: duplicated samples; use jitter > 0")
    return float(digamma(n) - digamma(k) + d * np.mean(np.log(2.0 * r)))


class KSGMI(Estimator):
    """KSG (algorithm 1, max-norm) MI estimator in bits for continuous x, y.

    Parameters: ``k`` neighbours (3-10 trade bias for variance, Kraskov et al. Sec. IV);
    ``standardize`` rescales each feature to unit variance for MI (not for entropy, which
    is not scale invariant); ``jitter`` adds ``jitter * std`` Gaussian noise per feature from
    ``random_state`` to break ties (0 disables it); ``workers`` for cKDTree queries (default 1:
    one core per run, as the runner pins torch; -1 uses every core).
    The estimate is not clipped: under independence it fluctuates around 0 and may be
    slightly negative. Bias is smallest when the joint density is close to uniform
    locally; for strong dependence (I of several bits) or high dimension it underestimates.
    """

    has_entropy = True

    def __init__(
        self,
        k: int = 3,
        standardize: bool = True,
        jitter: float = 1e-10,
        random_state: int | None = 0,
        workers: int = 1,
    ) -> None:
        self.k = k
        self.standardize = standardize
        self.jitter = jitter
        self.random_state = random_state
        self.workers = workers

    def _check(self, n: int) -> int:
        k = check_int_at_least(self.k, "k", 1)
        if n <= k:
            raise ValueError(f"ksg needs more samples than k={k}, got {n}")
        if not (np.isfinite(self.jitter) and self.jitter >= 0):
            raise ValueError(f"jitter must be >= 0, got {self.jitter!r}")
        return k

    def estimate(self, x: Any, y: Any) -> float:
        """I(X;Y) in bits."""
        xa, ya = as_pair(x, y)
        xa = require_continuous(xa, "x", "ksg")
        ya = require_continuous(ya, "y", "ksg")
        k = self._check(xa.shape[0])
        rng = np.random.default_rng(self.random_state)
        xp = _prepare(xa, self.standardize, self.jitter, rng)
        yp = _prepare(ya, self.standardize, self.jitter, rng)
        return ksg_mi(xp, yp, k, self.workers) / LN2

    def entropy(self, x: Any) -> float:
        """Differential entropy H(X) in bits (Kozachenko-Leonenko)."""
        xa = require_continuous(as_samples(x, "x"), "x", "ksg")
        k = self._check(xa.shape[0])
        rng = np.random.default_rng(self.random_state)
        return kl_entropy(_prepare(xa, False, self.jitter, rng), k, self.workers) / LN2
