"""The grid of estimator settings the atlas applies to every stored run (`atlas.toml`).

Each ``[[settings]]`` row of ``atlas.toml`` is one column of the atlas: an estimator family,
its scale parameter and value, and the keyword parameters :mod:`replications.atlas.estimate`
passes on. Families:

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

from replications.atlas.study import resolve_params, sampling, study

#: noise standard deviation β of the KSG family (Goldfeld et al. use β ≈ 0.1 for tanh nets)
KSG_NOISE_STD: float = sampling("ksg_noise_std")
#: inputs per HSIC evaluation (seeded subsample; HSIC costs O(n²))
HSIC_SAMPLES: int = sampling("hsic_samples")
#: inputs per KDE evaluation (a run's own KDE subset when it has one; O(n²))
KDE_SAMPLES: int = sampling("kde_samples")


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


GRID: tuple[Setting, ...] = tuple(
    Setting(row["family"], row["scale"], row["value"], resolve_params(row["params"]))
    for row in study()["settings"]
)


def by_key(key: str) -> Setting:
    """The grid setting with this key (ValueError naming the known keys otherwise)."""
    for s in GRID:
        if s.key == key:
            return s
    raise ValueError(f"unknown atlas setting {key!r}; known: {[s.key for s in GRID]}")
