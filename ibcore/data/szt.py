"""The 12-bit task of Shwartz-Ziv & Tishby (2017), shipped inside the package.

Provenance: `files/var_u.mat`, as published in the authors' repositories (ravidziv/IDNNs and
artemyk/ibsgd, `datasets/var_u.mat`, git blob 2f88039e594729a1a26ba39870a875fe225075ed).
MATLAB v5 file: `F` is 4096 x 12 uint8 (all 12-bit patterns in binary counting order), `y` is
1 x 4096 uint8 labels with 2118 positives, so H(Y) = 0.99916 bits.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.io

from ibcore.data.checksum import sha256_file
from ibcore.data.errors import DataError

SZT_PATH = Path(__file__).parent / "files" / "var_u.mat"
SZT_SHA256 = "0ba9551878a855396a8de0cbaae620788ede1e7b1eb2b8373bbe017d5ea02036"


def verify_szt(path: Path = SZT_PATH) -> None:
    """Raise DataError unless the shipped file exists and matches its checksum."""
    if not path.is_file():
        raise DataError(f"{path}: the 12-bit task file is missing (reinstall ibrep)")
    digest = sha256_file(path)
    if digest != SZT_SHA256:
        raise DataError(f"{path}: sha256 {digest} does not match the expected {SZT_SHA256}")


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    verify_szt()
    mat = scipy.io.loadmat(SZT_PATH)
    x = np.asarray(mat["F"], dtype=np.float32)
    y = np.asarray(mat["y"], dtype=np.int64).reshape(-1)
    if x.shape != (4096, 12) or y.shape != (4096,):
        raise DataError(f"{SZT_PATH}: unexpected shapes F{x.shape}, y{y.shape}")
    return x, y


def szt() -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y): x (4096, 12) float32 in {0, 1}, y (4096,) int64 in {0, 1}. Copies."""
    x, y = _load()
    return x.copy(), y.copy()
