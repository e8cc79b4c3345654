"""Synthetic data with closed-form mutual information, for tests and benchmarks.

* Correlated Gaussians: for y = rho x + sqrt(1 - rho^2) e with x, e ~ N(0, I_d) the pairs
  (x_k, y_k) are independent with correlation rho, so I(X;Y) = -d/2 log2(1 - rho^2).
* A random joint Gaussian (X, Y): I = 1/2 log2(|Sx| |Sy| / |S|) (Cover & Thomas Eq. 8.56).
* A discrete joint pmf p(x, y): I = sum p log2 p / (p(x) p(y)).

Harder tasks in the spirit of Czyz, Grabowski, Vogt, Beerenwinkel & Marx, "Beyond Normal:
On the Evaluation of Mutual Information Estimators" (NeurIPS 2023), each with closed-form MI:

* Student-t pairs: (X, Y) multivariate t with nu degrees of freedom and the dispersion of
  :func:`correlated_gaussians`. Heavy tails add dependence even at rho = 0:
  I = I_Gauss(rho) + f(nu) + f(nu + m + n) - f(nu + m) - f(nu + n),
  f(a) = log Gamma(a/2) - a/2 psi(a/2) (nats), m = n = dim (Czyz et al. App. C, after
  Arellano-Valle, Contreras-Reyes & Genton 2013).
* Sparse interactions: ``dim`` coordinates per variable, only ``n_active`` pairs correlated.
* Smooth invertible transforms of a Gaussian pair, applied per coordinate: MI is invariant
  under injective maps of X and of Y (Cover & Thomas Sec. 2.8 / Kraskov et al. Sec. II), so
  the truth is that of the Gaussian pair while the density estimators see other shapes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import digamma, gammaln

from ._base import LN2
from .gaussian import gaussian_mi_from_cov

__all__ = [
    "correlated_gaussians",
    "random_gaussian_pair",
    "discrete_pmf_mi",
    "sample_pmf",
    "student_t_pair",
    "student_t_mi",
    "sparse_gaussians",
    "TRANSFORMS",
    "transformed_gaussians",
]

#: smooth strictly increasing maps of the real line (MI-preserving), by name
TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    # x |x|^(1/2): heavier tails, flatter centre (Czyz et al.'s "half-cube")
    "halfcube": lambda a: a * np.sqrt(np.abs(a)),
    # exp: a log-normal marginal, strongly skewed
    "exp": np.exp,
    # arcsinh(3 a): squashes the tails, sharpens the centre
    "asinh": lambda a: np.arcsinh(3.0 * a),
}


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


def _f(a: float) -> float:
    return float(gammaln(a / 2.0) - a / 2.0 * digamma(a / 2.0))


def student_t_mi(dim: int, nu: float, rho: float) -> float:
    """Exact I(X;Y) in bits of :func:`student_t_pair` (Gaussian part + tail correction)."""
    if nu <= 0:
        raise ValueError(f"nu must be > 0, got {nu}")
    gauss = -0.5 * dim * np.log2(1.0 - rho * rho)
    correction = _f(nu) + _f(nu + 2 * dim) - 2.0 * _f(nu + dim)
    return float(gauss + correction / LN2)


def student_t_pair(
    n: int, dim: int = 1, nu: float = 1.0, rho: float = 0.0, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(x, y, I in bits): multivariate t, x = z_x / s, y = z_y / s, s = sqrt(chi2_nu / nu)."""
    x, y, _ = correlated_gaussians(n, dim, rho, random_state)
    rng = np.random.default_rng(None if random_state is None else [random_state, 1])
    s = np.sqrt(rng.chisquare(nu, size=(n, 1)) / nu)
    return x / s, y / s, student_t_mi(dim, nu, rho)


def sparse_gaussians(
    n: int, dim: int, n_active: int, rho: float, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(x, y, I in bits): ``dim`` coordinates each, only the first ``n_active`` pairs correlated."""
    if not 0 < n_active <= dim:
        raise ValueError(f"need 0 < n_active <= dim, got n_active={n_active}, dim={dim}")
    x, y, _ = correlated_gaussians(n, dim, rho, random_state)
    rng = np.random.default_rng(None if random_state is None else [random_state, 2])
    y[:, n_active:] = rng.standard_normal((n, dim - n_active))  # independent of x
    return x, y, float(-0.5 * n_active * np.log2(1.0 - rho * rho))


def transformed_gaussians(
    n: int, dim: int, rho: float, transform: str, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """(f(x), f(y), I in bits) for a Gaussian pair and a map f from :data:`TRANSFORMS`."""
    try:
        f = TRANSFORMS[transform]
    except KeyError:
        raise ValueError(
            f"unknown transform {transform!r}; available: {', '.join(TRANSFORMS)}"
        ) from None
    x, y, true = correlated_gaussians(n, dim, rho, random_state)
    return f(x), f(y), true
