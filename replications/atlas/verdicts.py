"""The atlas claims (``[[claims]]`` of ``atlas.toml``) and the verdict of each cell.

Every cell applies the rule of a claim in a replication's ``claims.toml`` — read at run time,
with its rule, margin or slack and `require_rise` — through the same functions the
replications use (:data:`ibcore.claims.RULES`, :func:`ibcore.claims.decide_values`,
:func:`ibcore.claims.decide`), to I(X;T) re-estimated under that setting. Per seed the rule
gives one statistic (the drop from the peak in bits for ``rise_then_fall``, the largest fall
for ``monotone``); over seeds the cell reports its mean (the effect size) and the suite's
95 % interval.

Where the replication has one claim per estimator (Saxe et al.: binning and KDE, with
different margins) the atlas uses the binning claim for the plug-in families whose estimates
jitter between epochs (binning, adaptive binning, EDGE) and the KDE claim for the smooth ones
(KDE, KSG on a noisy layer, HSIC). HSIC is not in bits: its margin or slack is the claim's
value in bits divided by log2(n), the largest I(X;T) of n distinct inputs, so that both scales
share their maximum (normalised HSIC is at most 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from ibcore import registry
from ibcore.claims import RULES, Claim, decide_values
from replications.atlas.grid import Setting
from replications.atlas.study import study


@cache
def replication_claims(paper: str) -> dict[str, Claim]:
    """A replication's claims by id, read from its claims.toml once per process."""
    return {c.id: c for c in registry.get(paper).claims}


@dataclass(frozen=True)
class AtlasClaim:
    """A compression claim, the runs it reads, and the replication claim whose rule it uses."""

    id: str
    title: str
    paper: str
    experiment: str
    series: str  # "last2" | "hidden" | "final_by_layer"
    rule_paper: str
    rule_claims: dict[str, str] = field(hash=False, compare=False)  # family or "*" → claim id

    def rule_claim(self, setting: Setting) -> Claim:
        cid = self.rule_claims.get(setting.family, self.rule_claims["*"])
        claims = replication_claims(self.rule_paper)
        if cid in claims:
            return claims[cid]
        raise KeyError(f"{self.rule_paper}/claims.toml has no claim {cid!r} (atlas {self.id})")


CLAIMS: tuple[AtlasClaim, ...] = tuple(
    AtlasClaim(row["id"], row["title"], row["paper"], row["experiment"], row["series"],
               row["rule_paper"], dict(row["rule"]))
    for row in study()["claims"]
)


def select(ixt: list[list[float]], series: str) -> Any:
    """The value a claim's rule reads, from I(X;T) per hidden layer over epochs."""
    if series == "last2":
        return [list(s) for s in ixt[-2:]]
    if series == "hidden":
        return [list(s) for s in ixt]
    if series == "final_by_layer":
        return [float(s[-1]) for s in ixt]
    raise ValueError(f"unknown series selector {series!r}")


def rule_params(claim: Claim, setting: Setting, n_inputs: int) -> dict[str, Any]:
    """The rule parameters of `claim`, converted to HSIC units for HSIC settings."""
    params = dict(claim.params)
    if setting.units == "hsic":
        for name in ("margin", "slack"):
            if name in params:
                params[name] = params[name] / math.log2(n_inputs)
    return params


@dataclass
class Cell:
    """The verdict of one atlas claim under one estimator setting."""

    claim: AtlasClaim
    setting: Setting
    verdict: str
    rule_claim: str = ""
    rule: str = ""
    pass_interval: tuple[float, float] | None = None
    values: list[float] = field(default_factory=list)
    mean: float | None = None
    ci: tuple[float, float] | None = None
    note: str = ""


def evaluate_cell(
    claim: AtlasClaim, setting: Setting, per_seed_ixt: list[list[list[float]]], n_inputs: int
) -> Cell:
    """Verdict, effect size and CI over seeds of `claim` under `setting`."""
    rc = claim.rule_claim(setting)
    ref = f"{claim.rule_paper}:{rc.id}"
    if not per_seed_ixt:
        return Cell(claim, setting, "not_run", ref, rc.rule,
                    note=f"no stored {claim.paper}/{claim.experiment} runs")
    params = rule_params(rc, setting, n_inputs)
    rule = RULES[rc.rule]
    values = []
    for i, ixt in enumerate(per_seed_ixt):
        where = f"atlas {claim.id} [{setting.label}] seed #{i}"
        values.append(float(rule.statistic(select(ixt, claim.series), None, params, where)))
    passing = rule.pass_interval({**params, "published": rc.published})
    verdict, ci, note = decide_values(values, passing)
    return Cell(claim, setting, verdict, ref, rc.rule, passing, values,
                float(np.mean(values)), ci, note)
