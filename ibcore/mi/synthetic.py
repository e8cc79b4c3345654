"""Synthetic data with closed-form mutual information, for tests and benchmarks.

* Correlated Gaussians: for y = rho x + sqrt(1 - rho^2) e with x, e ~ N(0, I_d) the pairs
  (x_k, y_k) are independent with correlation rho, so I(X;Y) = -d/2 log2(1 - rho^2).
* A random joint Gaussian (X, Y): I = 1/2 log2(|Sx| |Sy| / |S|) (Cover & Thomas Eq. 8.56).
* A discrete joint pmf p(x, y): I = sum p log2 p / (p(x) p(y)).
"""

from __future__ import annotations

import numpy as np

from .gaussian import gaussian_mi_from_cov

__all__ = ["correlated_gaussians", "random_gaussian_pair", "discrete_pmf_mi", "sample_pmf"]


def correlated_gaussians(
    n: int, dim: int = 1, rho: float = 0.5, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(x, y, I in bits): ``dim`` independent pairs of unit Gaussians with correlation rho."""
    if not -1.0 < rho < 1.0:
        raise ValueError(f"rho must be in (-1, 1), got {rho}")
    rng = np.random.default_rng(random_state)
    x = rng.standard_normal((n, dim))
    y = rho * x + np.sqrt(1.0 - rho * rho) * rng.standard_normal((n, dim))
    return x, y, float(-0.5 * dim * np.log2(1.0 - rho * rho))


def random_gaussian_pair(
    n: int, dx: int, dy: int, strength: float = 1.0, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(x, y, I in bits) from N(0, S), S = strength * A A^T / (dx + dy) + I, A Gaussian."""
    rng = np.random.default_rng(random_state)
    d = dx + dy
    a = rng.standard_normal((d, d))
    cov = strength * a @ a.T / d + np.eye(d)
    z = rng.multivariate_normal(np.zeros(d), cov, size=n, method="cholesky")
    return z[:, :dx], z[:, dx:], gaussian_mi_from_cov(cov, range(dx), range(dx, d))


def discrete_pmf_mi(p_xy: np.ndarray) -> float:
    """Exact I(X;Y) in bits of a joint pmf given as a 2-D array."""
    p = np.asarray(p_xy, dtype=np.float64)
    p = p / p.sum()
    px, py = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
    nz = p > 0
    return float((p[nz] * np.log2(p[nz] / (px @ py)[nz])).sum())


def sample_pmf(
    p_xy: np.ndarray, n: int, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """n integer samples (x, y) drawn from the joint pmf ``p_xy``."""
    p = np.asarray(p_xy, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    flat = rng.choice(p.size, size=n, p=(p / p.sum()).ravel())
    x, y = np.divmod(flat, p.shape[1])
    return x.astype(np.int64), y.astype(np.int64)
