"""Rate–distortion functions by the Blahut–Arimoto algorithm.

For a discrete source p(x), reproduction alphabet x̂ and distortion matrix d(x, x̂), the
algorithm (Blahut 1972; Arimoto 1972; Cover & Thomas, *Elements of Information Theory*,
2nd ed., §10.8) alternately minimises the Lagrangian

    F(q, m) = Σ_x p(x) Σ_x̂ q(x̂|x) log(q(x̂|x) / m(x̂)) + β Σ_x p(x) Σ_x̂ q(x̂|x) d(x, x̂)

over the channel q and the output marginal m:

    q_t(x̂|x) ∝ m_t(x̂) exp(−β d(x, x̂)),        m_{t+1}(x̂) = Σ_x p(x) q_t(x̂|x).

Each half-step is an exact minimisation, so F never increases; at convergence the pair
(R, D) = (I(X; X̂), E d) is the point of the R(D) curve where its slope is −β (rate in nats).
Everything is done in log space so large β does not underflow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import logsumexp

LN2 = np.log(2.0)


@dataclass(frozen=True)
class RDPoint:
    """One converged Blahut–Arimoto solution.

    `lagrangian` is F(q_t, m_t) in nats after every iteration (non-increasing);
    `channel` is q(x̂|x) with rows indexed by x.
    """

    beta: float
    rate_bits: float
    distortion: float
    iterations: int
    lagrangian: list[float] = field(repr=False)
    channel: np.ndarray = field(repr=False)


def _check(p: np.ndarray, d: np.ndarray) -> None:
    if p.ndim != 1 or d.ndim != 2 or d.shape[0] != p.shape[0]:
        raise ValueError(f"need p of shape (n,) and d of shape (n, m), got {p.shape}, {d.shape}")
    if np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError("p must be a probability vector")
    if np.any(d < 0):
        raise ValueError("distortions must be non-negative")


def _rate_and_lagrangian(
    p: np.ndarray, d: np.ndarray, log_q: np.ndarray, log_m: np.ndarray, beta: float
) -> tuple[float, float, float]:
    """(rate in nats, distortion, F) for channel log_q and marginal log_m."""
    q = np.exp(log_q)
    pq = p[:, None] * q
    # 0·log 0 = 0: only terms with q > 0 contribute
    rate = float(np.sum(np.where(pq > 0, pq * (log_q - log_m[None, :]), 0.0)))
    dist = float(np.sum(pq * d))
    return rate, dist, rate + beta * dist


def blahut_arimoto(
    p: Sequence[float] | np.ndarray,
    d: np.ndarray,
    beta: float,
    tol: float = 1e-13,
    max_iter: int = 100_000,
    init_marginal: np.ndarray | None = None,
) -> RDPoint:
    """Run Blahut–Arimoto at slope parameter `beta` (in nats per unit distortion).

    Stops when F falls by less than `tol` nats in one iteration. `init_marginal` warm-starts
    m (must be strictly positive); default is uniform over x̂.
    """
    p = np.asarray(p, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    _check(p, d)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got {beta}")
    m0 = np.full(d.shape[1], 1.0 / d.shape[1]) if init_marginal is None else init_marginal
    log_m = np.log(np.asarray(m0, dtype=np.float64))
    support = p > 0
    trace: list[float] = []
    it = 0
    for it in range(1, max_iter + 1):
        log_q = log_m[None, :] - beta * d
        log_q -= logsumexp(log_q, axis=1, keepdims=True)
        # marginal update: m = Σ_x p(x) q(x̂|x), in log space over the source support
        log_m = logsumexp(np.log(p[support])[:, None] + log_q[support], axis=0)
        _, _, f = _rate_and_lagrangian(p, d, log_q, log_m, beta)
        trace.append(f)
        if it > 1 and trace[-2] - f < tol:
            break
    rate, dist, _ = _rate_and_lagrangian(p, d, log_q, log_m, beta)
    return RDPoint(beta, max(rate, 0.0) / LN2, dist, it, trace, np.exp(log_q))


def rd_curve(
    p: Sequence[float] | np.ndarray, d: np.ndarray, betas: Sequence[float], **kw: float
) -> list[RDPoint]:
    """Trace R(D) over a list of β (each solved from a uniform start)."""
    return [blahut_arimoto(p, d, float(b), **kw) for b in betas]


def binary_entropy_bits(x: np.ndarray | float) -> np.ndarray:
    """h(x) = −x log₂ x − (1−x) log₂(1−x), with h(0) = h(1) = 0."""
    x = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -x * np.log2(x) - (1 - x) * np.log2(1 - x)
    return np.nan_to_num(h)


def binary_hamming_rd(p: float, dist: np.ndarray | float) -> np.ndarray:
    """Closed form R(D) = h(p) − h(D) for D ≤ min(p, 1−p), else 0 (Cover & Thomas Thm 10.3.1)."""
    dist = np.asarray(dist, dtype=np.float64)
    r = binary_entropy_bits(p) - binary_entropy_bits(dist)
    return np.where(dist < min(p, 1 - p), r, 0.0)


def gaussian_rd(variance: float, dist: np.ndarray | float) -> np.ndarray:
    """Closed form R(D) = ½ log₂(σ²/D) for 0 < D ≤ σ², else 0 (Cover & Thomas Thm 10.3.2)."""
    dist = np.asarray(dist, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(dist < variance, 0.5 * np.log2(variance / dist), 0.0)


def hamming_source(p: float) -> tuple[np.ndarray, np.ndarray]:
    """Bernoulli(p) source on {0, 1} with Hamming distortion."""
    return np.array([1 - p, p]), 1.0 - np.eye(2)


def discretised_gaussian(
    sigma: float = 1.0, n: int = 401, width: float = 7.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """N(0, σ²) on a uniform grid over ±width·σ with squared-error distortion.

    Returns (p, d, grid); x and x̂ share the grid. The grid's own variance is returned
    implicitly through p (use `grid_variance`) so closed-form comparisons use the discrete
    source's variance, not σ², and differ only by the discretisation of the shape.
    """
    grid = np.linspace(-width * sigma, width * sigma, n)
    logp = -0.5 * (grid / sigma) ** 2
    p = np.exp(logp - logsumexp(logp))
    return p, (grid[:, None] - grid[None, :]) ** 2, grid


def grid_variance(p: np.ndarray, grid: np.ndarray) -> float:
    """Variance of a discrete distribution p on `grid`."""
    mean = float(p @ grid)
    return float(p @ (grid - mean) ** 2)
