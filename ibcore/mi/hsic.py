"""Hilbert-Schmidt independence criterion (HSIC) with Gaussian kernels. NOT mutual information.

* Biased estimator, Gretton, Bousquet, Smola & Schoelkopf (ALT 2005), Eq. (4):
  HSIC_b = (n - 1)^-2 tr(K H L H), H = I - 11^T / n.
* Unbiased estimator, Song, Smola, Gretton, Bedo & Borgwardt (JMLR 2012), Eq. (5), with
  K~, L~ the kernel matrices with zeroed diagonals:
  HSIC_u = [tr(K~L~) + 1'K~1 1'L~1 / ((n-1)(n-2)) - 2/(n-2) 1'K~L~1] / (n (n-3)).
* Normalised HSIC(X,Y) / sqrt(HSIC(X,X) HSIC(Y,Y)) (the kernel-alignment form used by Ma,
  Lewis & Kleijn 2020, "The HSIC bottleneck"), in [0, 1] by Cauchy-Schwarz for the biased
  estimator (tr(KHLH) is an inner product of centred Gram matrices); the unbiased
  version is clipped into [0, 1].

Every estimator is a function of five statistics: sum_ij K_ij L_ij, the row sums K1, L1 and
the diagonals. tr(KHLH) = tr(KL) - 2/n 1'KL1 + 1'K1 1'L1 / n^2. They are accumulated over
row chunks (O(chunk x n) memory, exact), or from random Fourier features
(Rahimi & Recht 2007: k(x, x') ~ phi(x).phi(x'), phi = sqrt(2/D) cos(x W + b),
W ~ N(0, I / s^2)), O(n D^2) time, for large n.

Gaussian kernel k(a, b) = exp(-|a - b|^2 / (2 s^2)); the bandwidth s defaults to the median
pairwise distance (median heuristic, Gretton et al. 2005 Sec. 4) times ``multiplier``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy.spatial.distance import pdist

from ._base import Estimator
from ._validate import as_pair, check_int_at_least, check_positive

__all__ = ["HSIC", "median_bandwidth"]


class _Stats(NamedTuple):
    n: int
    s_kl: float
    s_kk: float
    s_ll: float
    rk: np.ndarray
    rl: np.ndarray
    dk: np.ndarray
    dl: np.ndarray


def median_bandwidth(a: np.ndarray, max_points: int = 1000, seed: int | None = 0) -> float:
    """Median pairwise Euclidean distance (on at most ``max_points`` random rows)."""
    if a.shape[0] > max_points:
        a = a[np.random.default_rng(seed).choice(a.shape[0], max_points, replace=False)]
    d = pdist(a)
    d = d[d > 0]
    # all points identical: any bandwidth gives a constant kernel, HSIC is then 0
    return float(np.median(d)) if d.size else 1.0


def _gauss_block(a: np.ndarray, b: np.ndarray, sq_a, sq_b, s2: float) -> np.ndarray:
    d2 = sq_a[:, None] + sq_b[None, :] - 2.0 * (a @ b.T)
    np.maximum(d2, 0.0, out=d2)
    return np.exp(-d2 / (2.0 * s2))


def _exact_stats(x: np.ndarray, y: np.ndarray, sx: float, sy: float, chunk: int) -> _Stats:
    n = x.shape[0]
    sqx, sqy = np.einsum("ij,ij->i", x, x), np.einsum("ij,ij->i", y, y)
    s_kl = s_kk = s_ll = 0.0
    rk, rl = np.empty(n), np.empty(n)
    for st in range(0, n, chunk):
        sl = slice(st, st + chunk)
        k = _gauss_block(x[sl], x, sqx[sl], sqx, sx * sx)
        m = _gauss_block(y[sl], y, sqy[sl], sqy, sy * sy)
        s_kl += float(np.einsum("ij,ij->", k, m))
        s_kk += float(np.einsum("ij,ij->", k, k))
        s_ll += float(np.einsum("ij,ij->", m, m))
        rk[sl], rl[sl] = k.sum(axis=1), m.sum(axis=1)
    return _Stats(n, s_kl, s_kk, s_ll, rk, rl, np.ones(n), np.ones(n))


def _rff(a: np.ndarray, s: float, d: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.standard_normal((a.shape[1], d)) / s
    b = rng.uniform(0.0, 2 * np.pi, size=d)
    return np.sqrt(2.0 / d) * np.cos(a @ w + b)


def _rff_stats(
    x: np.ndarray, y: np.ndarray, sx: float, sy: float, d: int, rng: np.random.Generator
) -> _Stats:
    px, py = _rff(x, sx, d, rng), _rff(y, sy, d, rng)
    # sum_ij K_ij L_ij = |Px^T Py|_F^2 with K = Px Px^T, L = Py Py^T (never formed)
    fro = lambda a, b: float(np.square(a.T @ b).sum())  # noqa: E731
    return _Stats(
        x.shape[0], fro(px, py), fro(px, px), fro(py, py),
        px @ px.sum(axis=0), py @ py.sum(axis=0),
        np.einsum("ij,ij->i", px, px), np.einsum("ij,ij->i", py, py),
    )


def _biased(n: int, s: float, ra: np.ndarray, rb: np.ndarray) -> float:
    return (s - 2.0 / n * float(ra @ rb) + ra.sum() * rb.sum() / n**2) / (n - 1) ** 2


def _unbiased(
    n: int, s: float, ra: np.ndarray, rb: np.ndarray, da: np.ndarray, db: np.ndarray
) -> float:
    tr = s - float(da @ db)
    ra_t, rb_t = ra - da, rb - db
    sa, sb = ra_t.sum(), rb_t.sum()
    return (tr + sa * sb / ((n - 1) * (n - 2)) - 2.0 / (n - 2) * float(ra_t @ rb_t)) / (
        n * (n - 3)
    )


class HSIC(Estimator):
    """HSIC dependence between x and y (units ``"hsic"``, not bits; see ``dependence``).

    Parameters: ``estimator`` "biased" or "unbiased"; ``normalized`` returns
    HSIC(X,Y)/sqrt(HSIC(X,X) HSIC(Y,Y)) in [0, 1]; ``bandwidth`` a float or (s_x, s_y), or
    None for the median heuristic; ``multiplier`` scales the bandwidth; ``n_features``
    switches to random Fourier features of that size (None: exact, chunked);
    ``chunk_size`` rows per exact block; ``random_state`` for subsampling and features.
    """

    units = "hsic"

    def __init__(
        self,
        estimator: str = "biased",
        normalized: bool = False,
        bandwidth: float | tuple[float, float] | None = None,
        multiplier: float = 1.0,
        n_features: int | None = None,
        chunk_size: int = 1024,
        random_state: int | None = 0,
    ) -> None:
        self.estimator = estimator
        self.normalized = normalized
        self.bandwidth = bandwidth
        self.multiplier = multiplier
        self.n_features = n_features
        self.chunk_size = chunk_size
        self.random_state = random_state

    def _bandwidths(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        mult = check_positive(self.multiplier, "multiplier")
        if self.bandwidth is None:
            sx = median_bandwidth(x, seed=self.random_state)
            sy = median_bandwidth(y, seed=self.random_state)
        elif np.ndim(self.bandwidth) == 0:
            sx = sy = check_positive(self.bandwidth, "bandwidth")  # type: ignore[arg-type]
        else:
            sx, sy = (check_positive(b, "bandwidth") for b in self.bandwidth)  # type: ignore[union-attr]
        return sx * mult, sy * mult

    def ixt(self, t: Any, inputs: Any | None = None) -> float:
        """HSIC(X, T) of the network inputs and the layer (units "hsic", not bits).

        The HSIC information plane (Ma, Lewis & Kleijn, AAAI 2020) replaces I(X;T) by the
        kernel dependence of the inputs themselves and the layer, so ``inputs`` is required.
        """
        if inputs is None:
            raise ValueError("hsic ixt needs the network inputs X (inputs=...)")
        return self.estimate(inputs, t)

    def estimate(self, x: Any, y: Any) -> float:
        """HSIC (or normalised HSIC) of x and y; integer codes are treated as numbers."""
        if self.estimator not in ("biased", "unbiased"):
            raise ValueError(f"estimator must be 'biased' or 'unbiased', got {self.estimator!r}")
        xa, ya = as_pair(x, y)
        xa, ya = xa.astype(np.float64), ya.astype(np.float64)
        n = xa.shape[0]
        if n < (4 if self.estimator == "unbiased" else 2):
            raise ValueError(f"hsic {self.estimator} needs more samples, got {n}")
        sx, sy = self._bandwidths(xa, ya)
        if self.n_features is None:
            chunk = check_int_at_least(self.chunk_size, "chunk_size", 1)
            st = _exact_stats(xa, ya, sx, sy, chunk)
        else:
            nf = check_int_at_least(self.n_features, "n_features", 1)
            st = _rff_stats(xa, ya, sx, sy, nf, np.random.default_rng(self.random_state))
        if self.estimator == "biased":
            hxy = _biased(n, st.s_kl, st.rk, st.rl)
            hxx, hyy = _biased(n, st.s_kk, st.rk, st.rk), _biased(n, st.s_ll, st.rl, st.rl)
        else:
            hxy = _unbiased(n, st.s_kl, st.rk, st.rl, st.dk, st.dl)
            hxx = _unbiased(n, st.s_kk, st.rk, st.rk, st.dk, st.dk)
            hyy = _unbiased(n, st.s_ll, st.rl, st.rl, st.dl, st.dl)
        if not self.normalized:
            return float(hxy)
        if hxx <= 0 or hyy <= 0:  # a constant variable: no dependence is measurable
            return 0.0
        return float(np.clip(hxy / np.sqrt(hxx * hyy), 0.0, 1.0))
