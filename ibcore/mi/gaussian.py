"""Exact mutual information of jointly Gaussian variables and linear-Gaussian channels.

For a jointly Gaussian vector (X, Y) with covariance blocks Sxx, Syy and joint S
(Cover & Thomas, *Elements of Information Theory*, 2nd ed., Eq. 8.56 / Thm 8.4.1 applied
to I = h(X) + h(Y) - h(X, Y))::

    I(X;Y) = 1/2 log( |Sxx| |Syy| / |S| ).

For the linear channel T = W X + e, e ~ N(0, s2 I), X ~ N(0, Sx) (e.g. Saxe et al. ICLR
2018, Sec. 4 and App. C, and the deep linear networks of Sec. 5)::

    I(T;X) = 1/2 log | I + W Sx W^T / s2 |.

I(T;Y) for a linear teacher y = w* . x + n and I(T; X_S) for a subset S of input
coordinates (relevant vs irrelevant inputs) are the same formula on the joint covariance
of (T, Y) or (T, X_S). Log-determinants use a Cholesky factorisation (``2 sum log diag``),
falling back to ``slogdet`` for covariances that are not numerically positive definite.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._base import LN2, Estimator
from ._validate import as_pair, as_samples, check_positive, require_continuous

__all__ = [
    "GaussianMI",
    "logdet",
    "gaussian_mi_from_cov",
    "linear_channel_mi",
    "linear_teacher_mi",
    "subspace_mi",
    "gaussian_entropy",
]


def logdet(cov: np.ndarray) -> float:
    """log|cov| (nats) of a symmetric positive-definite matrix; ValueError if singular."""
    c = np.atleast_2d(np.asarray(cov, dtype=np.float64))
    try:
        chol = np.linalg.cholesky(c)
        return float(2.0 * np.log(np.diag(chol)).sum())
    except np.linalg.LinAlgError:
        sign, val = np.linalg.slogdet(c)
        if sign <= 0 or not np.isfinite(val):
            raise ValueError(
                "covariance is singular or not positive definite: MI of a degenerate "
                "Gaussian is infinite or undefined"
            ) from None
        return float(val)


def gaussian_mi_from_cov(
    cov: Any, idx_x: Sequence[int], idx_y: Sequence[int]
) -> float:
    """I(X_idx_x ; X_idx_y) in bits for a Gaussian vector with covariance ``cov``."""
    c = np.asarray(cov, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"cov must be a square matrix, got shape {c.shape}")
    if not np.isfinite(c).all():
        raise ValueError("cov contains NaN or inf")
    ix, iy = np.asarray(idx_x, dtype=np.intp), np.asarray(idx_y, dtype=np.intp)
    if ix.size == 0 or iy.size == 0:
        raise ValueError("idx_x and idx_y must be non-empty")
    if np.intersect1d(ix, iy).size:
        raise ValueError("idx_x and idx_y overlap: I(X;X) of a continuous variable is infinite")
    joint = np.concatenate([ix, iy])
    nats = 0.5 * (
        logdet(c[np.ix_(ix, ix)]) + logdet(c[np.ix_(iy, iy)]) - logdet(c[np.ix_(joint, joint)])
    )
    return max(nats, 0.0) / LN2


def _input_cov(cov_x: Any | None, dim: int) -> np.ndarray:
    if cov_x is None:
        return np.eye(dim)
    c = np.atleast_2d(np.asarray(cov_x, dtype=np.float64))
    if c.shape != (dim, dim):
        raise ValueError(f"cov_x must be ({dim}, {dim}) to match W, got {c.shape}")
    return c


def _channel(
    w: Any, noise_var: float, cov_x: Any | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    wm = np.atleast_2d(np.asarray(w, dtype=np.float64))
    s2 = check_positive(noise_var, "noise_var")
    sx = _input_cov(cov_x, wm.shape[1])
    # Cov(T) = W Sx W^T + s2 I, Cov(T, X) = W Sx
    return wm, sx, wm @ sx @ wm.T + s2 * np.eye(wm.shape[0])


def linear_channel_mi(w: Any, noise_var: float, cov_x: Any | None = None) -> float:
    """I(T;X) in bits for T = W X + N(0, noise_var I), X ~ N(0, cov_x) (identity if None)."""
    wm, sx, _ = _channel(w, noise_var, cov_x)
    s2 = float(noise_var)
    m = np.eye(wm.shape[0]) + wm @ sx @ wm.T / s2
    return max(0.5 * logdet(m), 0.0) / LN2


def linear_teacher_mi(
    w: Any,
    noise_var: float,
    w_star: Any,
    teacher_noise_var: float,
    cov_x: Any | None = None,
) -> float:
    """I(T;Y) in bits for T = W X + e and a linear teacher Y = W* X + n.

    ``w_star`` is a vector (scalar output) or a matrix (one row per output);
    ``n ~ N(0, teacher_noise_var I)`` independent of ``e``.
    """
    wm, sx, ctt = _channel(w, noise_var, cov_x)
    ws = np.atleast_2d(np.asarray(w_star, dtype=np.float64))
    if ws.shape[1] != wm.shape[1]:
        raise ValueError(f"w_star has {ws.shape[1]} inputs, W has {wm.shape[1]}")
    sy = check_positive(teacher_noise_var, "teacher_noise_var")
    cyy = ws @ sx @ ws.T + sy * np.eye(ws.shape[0])
    cty = wm @ sx @ ws.T
    joint = np.block([[ctt, cty], [cty.T, cyy]])
    k = ctt.shape[0]
    return gaussian_mi_from_cov(joint, range(k), range(k, k + ws.shape[0]))


def subspace_mi(
    w: Any, noise_var: float, subset: Sequence[int], cov_x: Any | None = None
) -> float:
    """I(T; X_S) in bits: information T = W X + e carries about input coordinates ``subset``.

    E.g. the relevant inputs of a task whose other inputs are irrelevant: the remaining
    coordinates act as extra (Gaussian) noise on the channel from X_S.
    """
    wm, sx, ctt = _channel(w, noise_var, cov_x)
    s = np.asarray(subset, dtype=np.intp)
    if s.size == 0 or s.min() < 0 or s.max() >= wm.shape[1]:
        raise ValueError(f"subset must index input coordinates 0..{wm.shape[1] - 1}")
    cts = wm @ sx[:, s]
    joint = np.block([[ctt, cts], [cts.T, sx[np.ix_(s, s)]]])
    k = ctt.shape[0]
    return gaussian_mi_from_cov(joint, range(k), range(k, k + s.size))


def gaussian_entropy(cov: Any) -> float:
    """Differential entropy (bits) of N(mu, cov): 1/2 log |2 pi e cov|."""
    c = np.atleast_2d(np.asarray(cov, dtype=np.float64))
    return 0.5 * (c.shape[0] * np.log(2 * np.pi * np.e) + logdet(c)) / LN2


class GaussianMI(Estimator):
    """Plug-in Gaussian MI: fit the joint sample covariance, return 1/2 log(|Sx||Sy|/|S|).

    Consistent only for jointly Gaussian data; for other data it is the MI of the
    Gaussian with the same second moments, which can be far from the true MI. The
    maximum-likelihood
    covariance biases the estimate upward by about ``dx dy / (2 n ln 2)`` bits for small
    MI; ``shrinkage`` mixes in ``shrinkage * mean(diag) * I`` for ill-conditioned inputs.
    """

    has_entropy = True

    def __init__(self, shrinkage: float = 0.0) -> None:
        self.shrinkage = shrinkage

    def _cov(self, a: np.ndarray) -> np.ndarray:
        c = np.atleast_2d(np.cov(a, rowvar=False, bias=True))
        lam = float(self.shrinkage)
        if not 0.0 <= lam <= 1.0:
            raise ValueError(f"shrinkage must be in [0, 1], got {self.shrinkage!r}")
        if lam:
            c = (1 - lam) * c + lam * np.mean(np.diag(c)) * np.eye(c.shape[0])
        return c

    def estimate(self, x: Any, y: Any) -> float:
        """I(X;Y) in bits under the Gaussian model fitted to the samples."""
        xa, ya = as_pair(x, y)
        xa = require_continuous(xa, "x", "gaussian")
        ya = require_continuous(ya, "y", "gaussian")
        if xa.shape[0] < 2:
            raise ValueError("method 'gaussian' needs at least 2 samples")
        dx = xa.shape[1]
        cov = self._cov(np.hstack([xa, ya]))
        return gaussian_mi_from_cov(cov, range(dx), range(dx, dx + ya.shape[1]))

    def entropy(self, x: Any) -> float:
        """Differential entropy (bits) of the fitted Gaussian."""
        xa = require_continuous(as_samples(x, "x"), "x", "gaussian")
        if xa.shape[0] < 2:
            raise ValueError("method 'gaussian' needs at least 2 samples")
        return gaussian_entropy(self._cov(xa))
