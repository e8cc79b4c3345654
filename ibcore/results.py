"""Gather a profile's finished runs and turn them into verdicts (no computation is redone here).

Runs come from the run store (`collect`) or from a result bundle (`ibcore.bundle`); both give a
`Collected`, so verdicts, reports and the offline check do not care which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ibcore import registry, verdict_text
from ibcore.claims import Claim, Verdict, evaluate
from ibcore.runner import plan
from ibcore.store import RunSpec, RunStore


@dataclass
class Collected:
    """Per experiment: the finished runs' specs, metrics and provenance, and the missing runs.

    `origin` says where they came from ("store <home>" or "bundle <file>"); `store` is the run
    store that holds their arrays, None for a bundle (bundles carry no arrays).
    """

    specs: dict[str, list[RunSpec]] = field(default_factory=dict)
    metrics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: dict[str, list[RunSpec]] = field(default_factory=dict)
    provenance: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    origin: str = ""
    store: RunStore | None = None

    @property
    def n_done(self) -> int:
        return sum(len(v) for v in self.specs.values())

    @property
    def n_missing(self) -> int:
        return sum(len(v) for v in self.missing.values())

    def by_seed(self) -> dict[str, dict[int, dict[str, Any]]]:
        """Experiment → {seed: metrics}: what claims are evaluated on (paired by seed)."""
        return {exp: {s.seed: m for s, m in zip(self.specs[exp], ms, strict=True)}
                for exp, ms in self.metrics.items()}


def collect(
    paper: str, profile: str, seeds: tuple[int, ...] | None = None, store: RunStore | None = None
) -> Collected:
    """Load every finished run of the profile. An experiment counts only with all its seeds."""
    store = store or RunStore()
    out = Collected(origin=f"store {store.home}", store=store)
    for spec in plan(paper, profile, seeds):
        if store.is_done(spec):
            out.specs.setdefault(spec.experiment, []).append(spec)
        else:
            out.missing.setdefault(spec.experiment, []).append(spec)
    for exp in list(out.specs):
        if exp in out.missing:
            del out.specs[exp]
            continue
        out.metrics[exp] = [store.metrics(s) for s in out.specs[exp]]
        out.provenance[exp] = [store.provenance(s) for s in out.specs[exp]]
    return out


def verdicts(
    paper: str, profile: str, seeds: tuple[int, ...] | None = None, store: RunStore | None = None,
    collected: Collected | None = None,
) -> list[Verdict]:
    """Evaluate every claim of `paper` under `profile` from the store (or from `collected`)."""
    rep = registry.get(paper)
    collected = collected or collect(paper, profile, seeds, store)
    runs = collected.by_seed()
    deterministic = {n for n, e in rep.config.resolve(profile).items() if e.deterministic}
    out = []
    for claim in rep.claims:
        v = evaluate(claim, profile, runs, deterministic)
        missing = collected.missing.get(claim.experiment)
        if v.verdict == "not_run" and missing and profile in claim.profiles:
            v.note = f"{len(missing)} run(s) of '{claim.experiment}' missing from the store"
        out.append(v)
    return out


def format_number(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def rule_in_words(claim: Claim) -> str:
    """The pass condition on the per-seed statistic, as a reader would write it."""
    p = claim.params
    if claim.rule == "within":
        tol = p["abs_tol"] if p["abs_tol"] is not None else abs(p["rel_tol"] * claim.published)
        return f"within ±{tol:.4g} of {format_number(claim.published)}"
    if claim.rule == "interval":
        lo, hi = p["lo"], p["hi"]
        if math.isinf(hi):
            return f"≥ {lo:.4g}"
        if math.isinf(lo):
            return f"≤ {hi:.4g}"
        return f"in [{lo:.4g}, {hi:.4g}]"
    if claim.rule in ("less_than", "greater_than"):
        exp, _, metric = p["other"].rpartition(":")
        other = f"{metric} of {exp}" if exp else metric
        sign, bound = ("<", -p["margin"]) if claim.rule == "less_than" else (">", p["margin"])
        return f"{claim.metric} − {other} {sign} {bound + 0.0:.4g}"  # + 0.0: never "-0"
    if claim.rule == "monotone":
        return f"{p['direction']} (moves against it ≤ {p['slack']:.4g})"
    if claim.rule == "rise_then_fall":
        what = "rise and fall" if p["require_rise"] else "fall from the peak"
        return f"{what} ≥ {p['margin']:.4g}"
    return claim.rule


def effect_sizes(v: Verdict) -> str:
    """Published gap beside ours, for ordering claims that state one."""
    if v.claim.published_gap is None or v.mean is None:
        return ""
    return f"paper {v.claim.published_gap:+.3g}, ours {v.mean:+.3g}"


def verdict_counts(items: list[Verdict], kind: str | None = "paper") -> dict[str, int]:
    """Verdict → count in the fixed order of VERDICTS, for claims of `kind` (None: all)."""
    return verdict_text.count([{"kind": v.claim.kind, "verdict": v.verdict} for v in items], kind)


def verdict_summary(items: list[Verdict], kind: str | None = None) -> str:
    """'12 reproduced, 3 not reproduced, 2 inconclusive, 0 not run'."""
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in verdict_counts(items, kind).items())


def verdict_rows(items: list[Verdict]) -> list[dict[str, str]]:
    """Rows of the verdict table shared by the CLI and the reports."""
    rows = []
    for v in items:
        if v.mean is None:
            ours = "—"
        elif v.ci and v.ci[0] != v.ci[1]:
            ours = f"{v.mean:.4g} [{v.ci[0]:.4g}, {v.ci[1]:.4g}]"
        else:
            ours = f"{v.mean:.4g}"
        unit = f" {v.claim.unit}" if v.claim.unit else ""
        published = format_number(v.claim.published)
        if unit and v.mean is not None:
            ours += unit
        if unit and isinstance(v.claim.published, int | float) and not isinstance(
                v.claim.published, bool):
            published += unit
        notes = "; ".join(x for x in (effect_sizes(v), v.note, v.power) if x)
        rows.append({
            "claim": v.claim.id,
            "statement": v.claim.statement,
            "kind": v.claim.kind,
            "source": v.claim.source,
            "published": published,
            "rule": rule_in_words(v.claim),
            "ours": ours,
            "interval": v.interval,
            "seeds": str(len(v.values)),
            "verdict": v.verdict,
            "expected": v.expected,
            "as_expected": v.as_expected,
            "notes": notes,
            "experiment": v.claim.experiment,
        })
    return rows
