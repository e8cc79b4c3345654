"""Binning (plug-in) estimators of entropy and mutual information.

Implements the discretisation estimators used in the information-plane literature:

* Shwartz-Ziv & Tishby (2017), "Opening the black box of deep neural networks via
  information", Sec. 3.3: each neuron's activation is discretised into ``n_bins`` equal
  bins over a fixed range (``value_range``); values outside the range fall into the edge bins.
* Saxe et al. (ICLR 2018), "On the information bottleneck theory of deep learning",
  Sec. 2 / App. A and the ibsgd code's ``bin_calc_information2``: equal-width bins of a given
  *size* (``bin_size``), unbounded, ``floor(t / bin_size)``; for ReLU layers the range is
  taken over the whole activation history (:func:`range_from`).

With the layer ``T`` a deterministic function of the input, the plug-in estimates are
(Shwartz-Ziv & Tishby Eq. 9 and the surrounding text)::

    I(T;X) = H(T) - H(T|X) = H(T)            (every training input distinct, Eq. 9)
    I(T;Y) = H(T) - H(T|Y) = H(T) - sum_y p(y) H(T | Y=y)

where ``H`` is the Shannon entropy of the empirical distribution of binned rows.
``H(T|Y)`` is computed as ``H(T,Y) - H(Y)``, which equals the class-weighted sum above.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ._base import Estimator
from ._validate import as_pair, as_samples, check_int_at_least, check_positive, is_discrete

__all__ = [
    "BinningMI",
    "bin_indices",
    "range_from",
    "row_codes",
    "factorize",
    "discrete_entropy",
    "entropy_t",
    "mi_x_t",
    "mi_t_y",
]


def range_from(activations: Iterable[Any], lower: float | None = None) -> tuple[float, float]:
    """Min-max range over every array of an activation history (e.g. all epochs).

    Saxe et al.'s ReLU convention: bins span ``[0, max activation over training]``; pass
    ``lower=0.0`` to pin the lower edge. Raises ``ValueError`` on an empty history.
    """
    lo, hi = np.inf, -np.inf
    for i, a in enumerate(activations):
        arr = as_samples(a, f"activations[{i}]")
        lo, hi = min(lo, float(arr.min())), max(hi, float(arr.max()))
    if not np.isfinite(lo):
        raise ValueError("range_from: no activations were given")
    if lower is not None:
        lo = float(lower)
    if hi <= lo:  # a constant layer: any positive width puts everything in one bin
        hi = lo + 1.0
    return lo, hi


def bin_indices(
    t: Any,
    bin_size: float | None = None,
    n_bins: int | None = None,
    value_range: tuple[float, float] | None = None,
) -> np.ndarray:
    """Per-coordinate integer bin index of continuous values ``t`` (2-D int64 array).

    Exactly one of ``bin_size`` (unbounded ``floor(t / bin_size)``) or ``n_bins`` (equal bins
    over ``value_range``, default the min-max of ``t``; out-of-range values are clipped
    into the edge bins, as in Shwartz-Ziv & Tishby) must be given.
    """
    arr = as_samples(t, "t").astype(np.float64, copy=False)
    if (bin_size is None) == (n_bins is None):
        raise ValueError("give exactly one of bin_size or n_bins")
    if bin_size is not None:
        size = check_positive(bin_size, "bin_size")
        return np.floor(arr / size).astype(np.int64)
    nb = check_int_at_least(n_bins, "n_bins", 1)
    lo, hi = value_range if value_range is not None else range_from([arr])
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(f"value_range must be finite with hi > lo, got {value_range!r}")
    idx = np.floor((arr - lo) * (nb / (hi - lo))).astype(np.int64)
    # clipping implements "values beyond the range go to the edge bins"; it also puts t == hi
    # into the last bin rather than an extra one.
    return np.clip(idx, 0, nb - 1)


def row_codes(a: np.ndarray) -> np.ndarray:
    """Map each distinct row of ``a`` to an integer code ``0..k-1`` (int64, length n).

    Rows are compared by their bytes: the matrix is shifted to non-negative integers, cast
    to the narrowest unsigned dtype, and each row viewed as one ``np.void`` scalar, so
    ``np.unique`` sorts n opaque keys instead of running a Python loop or a lexsort over
    columns. Floating rows are compared exactly (``-0.0`` is normalised to ``0.0``).
    """
    a = np.asarray(a)
    if a.ndim == 1:
        a = a[:, None]
    n = a.shape[0]
    if np.issubdtype(a.dtype, np.floating):
        a = np.ascontiguousarray(a + 0.0)  # -0.0 + 0.0 == +0.0: same value, same bytes
    else:
        a = a.astype(np.int64, copy=False)
        lo_col = a.min(axis=0)
        spans = [int(v) + 1 for v in a.max(axis=0) - lo_col]
        if float(np.log2(np.array(spans, dtype=np.float64)).sum()) < 62.0:
            # few columns / few levels: a mixed-radix number is an exact row key, and
            # sorting one int64 per row is several times faster than sorting void bytes
            key = np.zeros(n, dtype=np.int64)
            for j, span in enumerate(spans):  # loop over columns (few), not samples
                key *= span
                key += a[:, j] - lo_col[j]
            return factorize(key)
        lo, hi = int(lo_col.min()), int(a.max())
        span = hi - lo
        dtype = np.uint8 if span < 2**8 else np.uint16 if span < 2**16 else (
            np.uint32 if span < 2**32 else np.uint64
        )
        a = np.ascontiguousarray((a - lo).astype(dtype))
    keys = a.view(np.dtype((np.void, a.dtype.itemsize * a.shape[1]))).reshape(n)
    _, inv = np.unique(keys, return_inverse=True)
    return inv.reshape(n).astype(np.int64)


def factorize(key: np.ndarray) -> np.ndarray:
    """Codes 0..k-1 of the distinct values of a 1-D int64 array (hash table, O(n))."""
    codes, _ = pd.factorize(key, sort=False)
    return codes.astype(np.int64, copy=False)


def _entropy_of_codes(codes: np.ndarray) -> float:
    counts = np.bincount(codes)
    counts = counts[counts > 0]
    p = counts / codes.shape[0]
    return float(-(p * np.log2(p)).sum())


def _joint_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # a in [0, ka), b in [0, kb): a * kb + b is a bijection onto pairs; ka * kb <= n^2 fits
    # in int64 for any n that fits in memory.
    return a * (int(b.max()) + 1) + b


def discrete_entropy(a: Any) -> float:
    """Shannon entropy (bits) of the empirical distribution of the rows of ``a``."""
    return _entropy_of_codes(row_codes(as_samples(a, "a")))


def _binned_codes(t: Any, name: str, binning: dict[str, Any]) -> np.ndarray:
    arr = as_samples(t, name)
    if is_discrete(arr):  # integer arrays are already discrete codes: do not re-bin
        return row_codes(arr)
    if binning.get("bin_size") is None and binning.get("n_bins") is None:
        raise ValueError(f"binning {name}: give bin_size or n_bins for continuous data")
    return row_codes(bin_indices(arr, **binning))


def entropy_t(t: Any, **binning: Any) -> float:
    """H(T) in bits of binned activations ``t`` (``binning`` = kwargs of bin_indices)."""
    return _entropy_of_codes(_binned_codes(t, "t", binning))


def mi_x_t(t: Any, x: Any | None = None, **binning: Any) -> float:
    """I(T;X) in bits for a deterministic layer T = f(X), binned.

    Without ``x`` every input is assumed distinct, so H(T|X) = 0 and I(T;X) = H(T)
    (Shwartz-Ziv & Tishby Eq. 9). With ``x`` (rows compared exactly), repeated inputs are
    accounted for: I(T;X) = H(T) - H(T|X) = H(T) + H(X) - H(T,X).
    """
    tc = _binned_codes(t, "t", binning)
    if x is None:
        return _entropy_of_codes(tc)
    tx, xa = as_pair(t, x)
    xc = row_codes(xa)
    return _mi_codes(tc, xc)


def mi_t_y(t: Any, y: Any, **binning: Any) -> float:
    """I(T;Y) = H(T) - sum_y p(y) H(T|Y=y) in bits; each distinct row of ``y`` is a class."""
    _, ya = as_pair(t, y)
    return _mi_codes(_binned_codes(t, "t", binning), row_codes(ya))


def _mi_codes(a: np.ndarray, b: np.ndarray) -> float:
    # H(A) + H(B) - H(A,B); clamp the float round-off of an exact zero at 0.
    mi = _entropy_of_codes(a) + _entropy_of_codes(b) - _entropy_of_codes(
        row_codes(_joint_codes(a, b))
    )
    return max(mi, 0.0)


class BinningMI(Estimator):
    """Plug-in MI of binned variables: I(X;Y) = H(X) + H(Y) - H(X,Y) in bits.

    Continuous (float) inputs are binned per coordinate with ``bin_size`` or ``n_bins`` over
    ``value_range`` (``None``: each variable's own min-max); integer inputs are used as
    discrete codes unchanged. The plug-in estimate is biased *upward* for MI by roughly
    ``(K_xy - K_x - K_y + 1) / (2 n ln 2)`` bits (Miller-Madow / Paninski 2003), ``K`` the
    number of occupied cells.
    """

    has_entropy = True

    def __init__(
        self,
        n_bins: int | None = 30,
        bin_size: float | None = None,
        value_range: tuple[float, float] | None = None,
    ) -> None:
        self.n_bins = n_bins
        self.bin_size = bin_size
        self.value_range = value_range

    def _binning(self) -> dict[str, Any]:
        if self.bin_size is not None:
            return {"bin_size": self.bin_size}
        return {"n_bins": self.n_bins, "value_range": self.value_range}

    def estimate(self, x: Any, y: Any) -> float:
        """I(X;Y) in bits."""
        xa, ya = as_pair(x, y)
        return _mi_codes(
            _binned_codes(xa, "x", self._binning()), _binned_codes(ya, "y", self._binning())
        )

    def ixt(self, t: Any, inputs: Any | None = None) -> float:
        """I(X;T) in bits of binned activations: I(T; index) = H(T) for distinct inputs
        (Shwartz-Ziv & Tishby Eq. 9); repeated ``inputs`` rows are one value of X."""
        from ._ixt import index_codes  # _ixt imports row_codes from this module

        ta = as_samples(t, "t")
        return self.estimate(ta, index_codes(ta, inputs))

    def entropy(self, x: Any) -> float:
        """H(X) in bits of the binned (or already discrete) variable."""
        return _entropy_of_codes(_binned_codes(x, "x", self._binning()))
