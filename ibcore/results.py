"""Gather a profile's finished runs and turn them into verdicts (no computation is redone here).

Runs come from the run store (`collect`) or from a result bundle (`ibcore.bundle`); both give a
`Collected`, so verdicts, reports and the offline check do not care which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ibcore import registry
from ibcore.claims import Verdict, evaluate
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
    out = []
    for claim in rep.claims:
        v = evaluate(claim, profile, collected.metrics)
        missing = collected.missing.get(claim.experiment)
        if v.verdict == "not_run" and missing and profile in claim.profiles:
            v.note = f"{len(missing)} run(s) of '{claim.experiment}' missing from the store"
        out.append(v)
    return out


def format_number(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


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
        lo, hi = v.claim.pass_interval()
        rows.append({
            "claim": v.claim.id,
            "source": v.claim.source,
            "published": format_number(v.claim.published),
            "rule": f"{v.claim.rule} → pass if stat in [{lo:.4g}, {hi:.4g}]",
            "ours (mean [95% CI])": ours,
            "seeds": str(len(v.values)),
            "verdict": v.verdict,
            "expected": v.expected,
            "note": v.note,
        })
    return rows
