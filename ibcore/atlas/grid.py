"""The grid of estimator settings the atlas applies to every stored run, as a data table.

Each row is one cell column of the atlas: an estimator family, its scale parameter and value,
and the keyword parameters :mod:`ibcore.atlas.estimate` passes on. Families:

* ``binning`` — equal-width bins, plug-in entropy (Shwartz-Ziv & Tishby 2017; Saxe et al.
  ICLR 2018, App. A): a number of bins on a fixed range per layer ((-1, 1) for saturating
  units, the layer's min–max over all logged epochs otherwise), or a bin size (unbounded).
* ``adaptive`` — equal-mass bins (Chelombiev, Houghton & O'Donnell, ICLR 2019).
* ``kde`` — Kolchinsky & Tracey (2017) pairwise-distance upper bound for T + N(0, σ²I).
* ``ksg`` — Kozachenko–Leonenko / KSG k-NN entropy of the noisy layer T + N(0, β²I)
  (Goldfeld et al., ICML 2019: additive noise makes I(X;T) finite).
* ``edge`` — EDGE (Noshad, Zeng & Hero 2019), the paper's hash and Gupta's XOR hash.
* ``hsic`` — normalised HSIC of (X, T), bandwidth a multiple of the median heuristic
  (Gretton et al. 2005; Ma, Lewis & Kleijn 2020). Not in bits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

#: noise standard deviation β of the KSG family (Goldfeld et al. use β ≈ 0.1 for tanh nets)
KSG_NOISE_STD = 0.1
#: inputs per HSIC evaluation (seeded subsample; HSIC costs O(n²))
HSIC_SAMPLES = 512
#: inputs per KDE evaluation (a run's own KDE subset when it has one; O(n²))
KDE_SAMPLES = 1024


@dataclass(frozen=True)
class Setting:
    """One estimator setting: family, its scale parameter, and estimator parameters."""

    family: str
    scale: str
    value: float | str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def units(self) -> str:
        return "hsic" if self.family == "hsic" else "bits"

    @property
    def label(self) -> str:
        value = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        return f"{self.family} {self.scale}={value}"

    @property
    def key(self) -> str:
        """File-name-safe identity including a hash of the parameters."""
        blob = json.dumps({"f": self.family, "p": self.params}, sort_keys=True)
        digest = hashlib.sha256(blob.encode()).hexdigest()[:10]
        value = str(self.value).replace(".", "p").replace("-", "m")
        return f"{self.family}-{self.scale}-{value}-{digest}"


GRID: tuple[Setting, ...] = (
    Setting("binning", "bins", 10, {"n_bins": 10}),
    Setting("binning", "bins", 30, {"n_bins": 30}),
    Setting("binning", "bins", 100, {"n_bins": 100}),
    Setting("binning", "size", 0.07, {"bin_size": 0.07}),
    Setting("binning", "size", 0.5, {"bin_size": 0.5}),
    Setting("adaptive", "bins", 30, {"n_bins": 30}),
    Setting("kde", "σ²", 1e-3, {"noise_var": 1e-3}),
    Setting("kde", "σ²", 1e-2, {"noise_var": 1e-2}),
    Setting("kde", "σ²", 1e-1, {"noise_var": 1e-1}),
    Setting("kde", "σ²", 1.0, {"noise_var": 1.0}),
    Setting("ksg", "k", 3, {"k": 3, "noise_std": KSG_NOISE_STD}),
    Setting("ksg", "k", 10, {"k": 10, "noise_std": KSG_NOISE_STD}),
    Setting("edge", "hash", "floor", {"hash": "floor"}),
    Setting("edge", "hash", "xor", {"hash": "xor"}),
    Setting("hsic", "bw", 0.5, {"multiplier": 0.5}),
    Setting("hsic", "bw", 1.0, {"multiplier": 1.0}),
    Setting("hsic", "bw", 2.0, {"multiplier": 2.0}),
)


def by_key(key: str) -> Setting:
    """The grid setting with this key (ValueError naming the known keys otherwise)."""
    for s in GRID:
        if s.key == key:
            return s
    raise ValueError(f"unknown atlas setting {key!r}; known: {[s.key for s in GRID]}")
