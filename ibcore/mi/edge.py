"""EDGE: ensemble dependence-graph estimator of mutual information.

Noshad, Zeng & Hero (ICASSP 2019), "Scalable mutual information estimation using
dependence graphs", arXiv:1801.09125. For one bandwidth eps (Sec. 3, Eqs. 4-7):

* hash every sample with H(x) = H2(H1(x)), H1(x) = floor((x + b) / eps) element-wise with
  a random shift b ~ U[0, eps)^d, H2 mapping integer vectors to buckets;
* the dependence graph joins bucket H(x_k) to bucket H(y_k) for every pair (x_k, y_k);
  N_i, M_j are the vertex counts and N_ij the edge multiplicities;
* weights w_i = N_i / N, w'_j = M_j / N, w_ij = N_ij N / (N_i M_j), and

      I_eps = sum_{(i,j) in E} w_i w'_j g~(w_ij),   g(x) = x log x.

  Since w_i w'_j w_ij = N_ij / N this is sum_{(i,j)} (N_ij / N) g~(w_ij) / w_ij: the
  plug-in MI of the hashed variables with the *pointwise* term log w_ij of each edge
  bounded by U, g~(w) = w min(log w, U) (U bounds the pointwise MI, which is what the
  paper's boundedness argument needs; the authors' code caps log w_ij the same way). The
  paper prints max(g, U); capping g itself, min(w log w, U), is wrong: an edge's term
  U / w then *falls* as w grows, so when nearly every sample has its own cell (X the sample
  index, w ~ N) the estimate collapses towards U / N per sample.

Ensemble (Sec. 4, Theorem 4.1): base estimates at eps(t) = t eps_0 for t in T are combined
as sum_t w(t) I_eps(t) with the minimum-norm weights subject to sum_t w(t) = 1 and
sum_t w(t) t^i = 0 for i = 1..order, cancelling the leading terms of the bias expansion in
powers of eps. The system has L unknowns and order + 1 equations; its minimum-norm
solution is the pseudo-inverse solution (``np.linalg.lstsq``). The theorem takes order up
to d; extrapolating that far from nearby t amplifies the variance enormously, so
``order`` defaults to 1 (cancel the leading term) and is a parameter.

High dimension (Sec. 5): an optional p-stable (Gaussian) random projection
x -> x G, G_kl ~ N(0, 1/d), to ``projection_dim`` coordinates before hashing
(the authors use about log2(N / 10) coordinates).

Departures from the authors' code, on purpose:

* The released code floors every edge's pointwise term log(w_ij) at 0.001 bits; every
  edge then adds at least 0.001 bits x N_ij / N, so independent data read about 0.001 bits
  *plus* the positive part of the sampling noise. That floor is off by default here and
  available as ``floor=0.001``.
* H2 is injective (rows are coded exactly via a byte view + np.unique) instead of a random
  table with collisions; collisions only merge buckets, which biases MI down.

Variant ``hash="xor"`` (Gupta, IIT Mandi 2021 study of EDGE): element hashes
h1(k_i) = floor(k_i c T) mod T with table size T, applied to each coordinate's eps-bucket
index k_i = floor((x_i + b_i) / eps), and vector hash H2 = XOR of the element hashes, so
both variants share the resolution eps. h1 is the multiplication method of hashing
(Knuth; Cormen et al. Sec. 11.3.2: floor(T frac(k c))), default c = (sqrt(5) - 1) / 2.
XOR is symmetric in the coordinates, so rows whose bucket indices are permutations of
each other collide: more collisions in higher dimension, hence lower estimates. N is
the number of (X, Y) pairs, also when X and Y have different dimensions.

Everything is vectorised: hashing is one floor over the N x d matrix, counting is
``np.unique`` / ``np.bincount`` on integer codes, O(N log N) with tiny constants.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Estimator
from ._ixt import index_codes
from ._validate import as_pair, as_samples, check_int_at_least, check_positive, is_discrete
from .binning import BinningMI, factorize, row_codes

__all__ = ["EdgeMI", "ensemble_weights", "edge_plugin"]

#: bound (bits) on each edge's pointwise MI log2 w_ij: the authors' default U = 10
DEFAULT_U = 10.0
#: the authors' information-plane code raises U to 20 bits for I(X;T)
IXT_U = 20.0
#: Knuth's multiplicative-hash constant for the XOR variant's element hash
GOLDEN = (5.0**0.5 - 1.0) / 2.0


def ensemble_weights(t: np.ndarray, order: int) -> np.ndarray:
    """Minimum-norm weights w: sum w = 1, sum w t^i = 0 for i = 1..order (Theorem 4.1)."""
    t = np.asarray(t, dtype=np.float64)
    if order >= t.size:
        raise ValueError(f"order={order} needs more than {order} ensemble members, got {t.size}")
    a = np.vstack([t**i for i in range(order + 1)])
    b = np.zeros(order + 1)
    b[0] = 1.0
    w, *_ = np.linalg.lstsq(a, b, rcond=None)
    return w


def edge_plugin(
    cx: np.ndarray, cy: np.ndarray, cap: float, floor: float | None
) -> float:
    """sum over edges of (N_ij / N) min(log2 w_ij, U) in bits, from bucket codes of x and y.

    ``cx``, ``cy`` are non-negative integer bucket codes (length N). ``floor`` (bits), if
    given, is the authors' lower bound on each edge's pointwise term.
    """
    n = cx.shape[0]
    ni = np.bincount(cx)
    mj = np.bincount(cy)
    # one integer per edge (i, j); any sample on an edge gives the edge's endpoints
    codes = factorize(cx.astype(np.int64) * (int(cy.max()) + 1) + cy)
    nij = np.bincount(codes)
    sample = np.empty(nij.size, dtype=np.int64)
    sample[codes] = np.arange(n)
    i, j = cx[sample], cy[sample]
    w = nij * n / (ni[i] * mj[j])
    # w_i w'_j g~(w_ij) == (N_ij / N) min(log2 w_ij, U): the cap bounds the pointwise term
    pointwise = np.minimum(np.log2(w), cap)
    if floor is not None:
        pointwise = np.maximum(pointwise, floor)
    return float((nij * pointwise).sum() / n)


class EdgeMI(Estimator):
    """EDGE mutual information in bits (Noshad, Zeng & Hero 2019).

    Parameters
    ----------
    n_estimators: ensemble size L (one random shift and bandwidth each).
    epsilon: base bandwidth eps_0 in units of each feature's standard deviation; ``None``
        picks ``3 * N ** (-1 / (2 d))``, d = d_x + d_y: the paper's rate eps ~ N^(-1/(2d))
        (Sec. 4), under which the joint space has O(sqrt(N)) occupied cells; the factor 3
        was chosen on correlated Gaussians (benchmarks/README.md).
    t_max: bandwidth multipliers t run over ``linspace(1, t_max, L)``.
    ensemble: ``"optimal"`` (Theorem 4.1 weights), ``"mean"`` or ``"median"``.
    order: number of bias terms the optimal weights cancel.
    U: bound in bits on each edge's pointwise MI log2 w_ij (see :data:`DEFAULT_U`).
    floor: authors' per-edge floor (bits).
    hash: ``"floor"`` (paper) or ``"xor"`` (Gupta's variant; ``table_size``, ``xor_c``).
    projection_dim: p-stable projection of each variable to this many coordinates when it
        has more features (``None``: no projection).
    random_state: seed of the shifts and the projection.

    Integer inputs are discrete codes and are used as buckets directly (no hashing, a
    single plug-in estimate). Known bias: the plug-in on eps-cells underestimates strong
    dependence (discretisation) and overestimates weak dependence by about
    (#edges - #x buckets - #y buckets + 1) / (2 N ln 2) bits (Miller-Madow).
    """

    def __init__(
        self,
        n_estimators: int = 5,
        epsilon: float | None = None,
        t_max: float = 2.0,
        ensemble: str = "optimal",
        order: int = 1,
        U: float = DEFAULT_U,
        floor: float | None = None,
        hash: str = "floor",
        table_size: int = 2**20,
        xor_c: float = GOLDEN,
        projection_dim: int | None = None,
        random_state: int | None = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.epsilon = epsilon
        self.t_max = t_max
        self.ensemble = ensemble
        self.order = order
        self.U = U
        self.floor = floor
        self.hash = hash
        self.table_size = table_size
        self.xor_c = xor_c
        self.projection_dim = projection_dim
        self.random_state = random_state

    def _validate_params(self) -> None:
        check_int_at_least(self.n_estimators, "n_estimators", 1)
        check_positive(self.U, "U")
        check_positive(self.t_max, "t_max")
        if self.ensemble not in ("optimal", "mean", "median"):
            raise ValueError(f"ensemble must be optimal, mean or median, got {self.ensemble!r}")
        if self.hash not in ("floor", "xor"):
            raise ValueError(f"hash must be 'floor' or 'xor', got {self.hash!r}")
        if self.epsilon is not None:
            check_positive(self.epsilon, "epsilon")
        if self.floor is not None and not (np.isfinite(self.floor) and self.floor >= 0):
            raise ValueError(f"floor must be None or >= 0, got {self.floor!r}")
        if check_int_at_least(self.table_size, "table_size", 2) > 2**30:
            raise ValueError("table_size must be <= 2**30")
        check_positive(self.xor_c, "xor_c")

    def _standardise(self, a: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        a = np.asarray(a, dtype=np.float64)
        std = a.std(axis=0)
        a = (a - a.mean(axis=0)) / np.where(std > 0, std, 1.0)
        k = self.projection_dim
        if k is not None and a.shape[1] > check_int_at_least(k, "projection_dim", 1):
            # 2-stable LSH: Gaussian projections preserve Euclidean distances in law
            # (Datar et al. 2004); 1/sqrt(d) keeps the projected coordinates at unit scale.
            g = rng.standard_normal((a.shape[1], k)) / np.sqrt(a.shape[1])
            a = a @ g
            a /= np.where(a.std(axis=0) > 0, a.std(axis=0), 1.0)
        return a

    def _codes(self, a: np.ndarray, eps: float, rng: np.random.Generator) -> np.ndarray:
        shift = rng.uniform(0.0, eps, size=a.shape[1])
        k = a + shift
        k /= eps
        np.floor(k, out=k)
        if self.hash == "floor":
            return row_codes(k.astype(np.int64))
        tsize = int(self.table_size)
        # float64 holds k * c * T exactly enough: |k| < 1e4 buckets, T <= 2^30
        h1 = np.mod(np.floor(k * (float(self.xor_c) * tsize)), tsize).astype(np.int64)
        return np.bitwise_xor.reduce(h1, axis=1)

    def ixt(self, t: Any, inputs: Any | None = None) -> float:
        """I(X;T) in bits with X the sample index (or the distinct rows of ``inputs``).

        With X the index every edge joins one sample's cell to T's cell, so its pointwise
        term is log2 w_ij <= log2 N: a cap U below log2 N would clip the very quantity an
        information plane measures. ``ixt`` therefore uses max(U, log2 N), which is what
        the authors' information-plane code does with U = 20 for N <= 2**20.

        The result is clipped to [0, H(X)]: the Theorem 4.1 weights extrapolate the base
        estimates to eps -> 0 and, when nearly every sample already has its own cell at
        eps_0, overshoot the bound I(X;T) <= H(X) (by ~1.5 bits on a 20-d Gaussian layer).
        """
        ta = as_samples(t, "t")
        cap = max(float(self.U), float(np.log2(ta.shape[0])))
        est = type(self)(**{**self.get_params(), "U": cap})
        codes = index_codes(ta, inputs)
        h_x = float(BinningMI().entropy(codes))
        return float(np.clip(est.estimate(ta, codes), 0.0, h_x))

    def estimate(self, x: Any, y: Any) -> float:
        """I(X;Y) in bits."""
        self._validate_params()
        xa, ya = as_pair(x, y)
        n = xa.shape[0]
        cap, floor = float(self.U), self.floor
        if is_discrete(xa) and is_discrete(ya):
            return max(edge_plugin(row_codes(xa), row_codes(ya), cap, floor), 0.0)
        rng = np.random.default_rng(self.random_state)
        xs = row_codes(xa) if is_discrete(xa) else self._standardise(xa, rng)
        ys = row_codes(ya) if is_discrete(ya) else self._standardise(ya, rng)
        d = sum(a.shape[1] for a in (xs, ys) if a.ndim == 2)
        eps0 = float(self.epsilon) if self.epsilon is not None else 3.0 * n ** (-0.5 / d)
        L = int(self.n_estimators)
        t = np.linspace(1.0, float(self.t_max), L) if L > 1 else np.ones(1)
        base = np.empty(L)
        for ell in range(L):  # a loop over the L ensemble members only, never over samples
            eps = eps0 * t[ell]
            cx = xs if xs.ndim == 1 else self._codes(xs, eps, rng)
            cy = ys if ys.ndim == 1 else self._codes(ys, eps, rng)
            base[ell] = edge_plugin(cx, cy, cap, floor)
        if self.ensemble == "mean" or L == 1:
            return float(base.mean())
        if self.ensemble == "median":
            return float(np.median(base))
        order = check_int_at_least(self.order, "order", 0)
        return float(ensemble_weights(t, order) @ base)
