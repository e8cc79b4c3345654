"""Shared pieces of the ``ixt`` methods: X as codes, and the distinct-inputs check.

In an information plane X is the data set itself (Shwartz-Ziv & Tishby 2017, Sec. 2.3;
Saxe et al. ICLR 2018, Sec. 2): with distinct inputs the sample index *is* X.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_pair
from .binning import row_codes

__all__ = ["index_codes", "require_distinct"]


def index_codes(t: np.ndarray, inputs: Any | None) -> np.ndarray:
    """X as integer codes: the sample index, or one code per distinct row of ``inputs``."""
    if inputs is None:
        return np.arange(t.shape[0], dtype=np.int64)
    _, xa = as_pair(t, inputs)
    return row_codes(xa)


def require_distinct(t: np.ndarray, inputs: Any | None, method: str) -> None:
    """Closed forms that assume distinct inputs: check it when the inputs are given."""
    if inputs is not None and int(index_codes(t, inputs).max()) + 1 != t.shape[0]:
        raise ValueError(
            f"method {method!r}: ixt assumes every input is distinct; the inputs repeat rows"
        )
