"""Shared input validation for every estimator in :mod:`ibcore.mi`.

All estimators accept numpy arrays or torch tensors of shape ``(n_samples, n_features)``;
a 1-D input is one feature. Integer (and boolean) arrays are *discrete codes*, floating
arrays are *continuous* values. Every public entry point funnels its inputs through
:func:`as_samples` / :func:`as_pair` so the error messages are the same everywhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "as_samples",
    "as_pair",
    "is_discrete",
    "require_continuous",
    "require_discrete",
    "check_positive",
    "check_int_at_least",
]


def _to_numpy(a: Any, name: str) -> np.ndarray:
    # torch is optional for callers; detect tensors without importing torch eagerly.
    if hasattr(a, "detach") and hasattr(a, "cpu") and hasattr(a, "numpy"):
        a = a.detach().cpu().numpy()
    try:
        arr = np.asarray(a)
    except Exception as exc:  # pragma: no cover - message path only
        raise ValueError(f"{name}: cannot convert {type(a).__name__} to an array") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise ValueError(f"{name}: expected a numeric array, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name}: complex values are not supported")
    return arr


def as_samples(a: Any, name: str = "x") -> np.ndarray:
    """Return ``a`` as a 2-D ``(n_samples, n_features)`` array, validated.

    Raises ``ValueError`` for empty input, more than two dimensions, or NaN/inf.
    Booleans become ``int8`` codes; other dtypes are kept (integers = discrete codes).
    """
    arr = _to_numpy(a, name)
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected (n_samples, n_features) or (n_samples,), got a scalar")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected at most 2 dimensions, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name}: empty input of shape {arr.shape}")
    if arr.dtype == np.bool_:
        arr = arr.astype(np.int8)
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        raise ValueError(f"{name}: contains NaN or inf")
    return arr


def as_pair(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate two sample matrices and check that they have the same number of rows."""
    xa, ya = as_samples(x, "x"), as_samples(y, "y")
    if xa.shape[0] != ya.shape[0]:
        raise ValueError(
            f"x and y must have the same number of samples, got {xa.shape[0]} and {ya.shape[0]}"
        )
    return xa, ya


def is_discrete(a: np.ndarray) -> bool:
    """Integer arrays are discrete codes by contract (bools were converted to int8)."""
    return bool(np.issubdtype(a.dtype, np.integer))


def require_continuous(a: np.ndarray, name: str, method: str) -> np.ndarray:
    """Reject discrete codes for estimators defined on densities; return float64 data."""
    if is_discrete(a):
        raise ValueError(
            f"method {method!r} needs continuous (floating) {name}; got integer codes "
            f"(dtype {a.dtype}). Cast to float and add noise explicitly if that is intended, "
            "or use a discrete estimator such as 'binning'."
        )
    return np.asarray(a, dtype=np.float64)


def require_discrete(a: np.ndarray, name: str, method: str) -> np.ndarray:
    """Reject floating data where class labels / discrete codes are required."""
    if not is_discrete(a):
        raise ValueError(
            f"method {method!r} needs discrete integer codes for {name}; got dtype {a.dtype}"
        )
    return a


def check_positive(value: float, name: str) -> float:
    """A strictly positive finite float hyper-parameter."""
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return v


def check_int_at_least(value: int, name: str, minimum: int) -> int:
    """An integer hyper-parameter bounded below."""
    if isinstance(value, bool) or int(value) != value or int(value) < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
