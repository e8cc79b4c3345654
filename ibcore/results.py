"""Gather a profile's stored runs and turn them into verdicts (no computation is redone here)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from ibcore import registry
from ibcore.claims import Verdict, evaluate
from ibcore.runner import plan
from ibcore.store import RunSpec, RunStore


@dataclass
class Collected:
    """Per experiment: the finished runs' specs and metrics, and which runs are missing."""

    specs: dict[str, list[RunSpec]] = field(default_factory=dict)
    metrics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: dict[str, list[RunSpec]] = field(default_factory=dict)


def collect(
    paper: str, profile: str, seeds: tuple[int, ...] | None = None, store: RunStore | None = None
) -> Collected:
    """Load every finished run of the profile. An experiment counts only with all its seeds."""
    store = store or RunStore()
    out = Collected()
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


def save_verdicts(paper: str, profile: str, items: list[Verdict], store: RunStore | None = None):
    """Write `<home>/<paper>/verdicts-<profile>.json` atomically; returns its path."""
    store = store or RunStore()
    path = store.home / paper / f"verdicts-{profile}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps([v.to_dict() for v in items], indent=1))
    os.replace(tmp, path)
    return path


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
