"""The results file `reports/<profile>/<paper>.json`: a profile's verdicts, computed once.

`ibrep report` writes it beside the page; the page's notebook (through `ibcore.notebook.Results`)
and the reports index read it. It holds the paper's title and citation, the verdict counts
(`counts` of the paper's published claims, `checks` of the self-consistency checks), every
claim as `Verdict.to_dict()` (id, verdict, values, ci, n, …), and where the runs came from
(`source`: the run store or a bundle, as a path relative to this file, plus any seed override),
so the notebook can load the same metrics for its figures.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ibcore import registry
from ibcore.claims import Verdict
from ibcore.results import Collected, verdict_counts

DECIDED = ("reproduced", "not_reproduced", "inconclusive")
SUMMARY = {"paper": str, "profile": str, "title": str, "counts": dict}  # what the index needs
FULL = {**SUMMARY, "claims": list, "source": dict}  # what a page's notebook needs


class ResultsFileError(ValueError):
    """A results file is unreadable or malformed; the message names the file and field."""


def results_path(paper: str, profile: str, reports: Path) -> Path:
    """`<reports>/<profile>/<paper>.json`."""
    return reports / profile / f"{paper}.json"


def _relative(target: Path, base: Path) -> str:
    return os.path.relpath(target.resolve(), base.resolve())


def record(
    paper: str, profile: str, items: list[Verdict], collected: Collected, path: Path,
    seeds: tuple[int, ...] | None = None,
) -> dict[str, Any]:
    """The content of `path` for these verdicts, computed from `collected`."""
    rep = registry.get(paper)
    kind, _, where = collected.origin.partition(" ")
    return {
        "paper": rep.name, "title": rep.config.meta.get("title", rep.name),
        "citation": f"{rep.config.meta.get('authors', '')} ({rep.config.meta.get('venue', '')})",
        "profile": profile, "counts": verdict_counts(items, "paper"),
        "checks": verdict_counts(items, "check"),
        "mismatches": [v.claim.id for v in items if not v.as_expected],
        "generated": time.strftime("%Y-%m-%d %H:%M"),
        "source": {"kind": kind, "path": _relative(Path(where), path.parent),
                   "seeds": list(seeds) if seeds is not None else None,
                   "runs": collected.n_done, "missing": collected.n_missing},
        "claims": [v.to_dict() for v in items],
    }


def read(path: Path, required: dict[str, type] = FULL) -> dict[str, Any]:
    """Load a results file and check that it has the `required` fields (name → type)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ResultsFileError(f"{path}: unreadable results file ({exc})") from None
    if not isinstance(data, dict):
        raise ResultsFileError(f"{path}: not a JSON object")
    for name, kind in required.items():
        if not isinstance(data.get(name), kind):
            raise ResultsFileError(f"{path}: field '{name}' missing or not {kind.__name__}")
    return data


def source_path(data: dict[str, Any], path: Path) -> Path:
    """The run store or bundle a results file was computed from, as an absolute path."""
    return (Path(path).parent / data["source"]["path"]).resolve()


def decided(data: dict[str, Any]) -> int:
    """How many claims (paper claims and checks) a results file decides: reproduced, not
    reproduced or inconclusive."""
    return sum(int(table.get(v, 0)) for table in (data["counts"], data.get("checks") or {})
               for v in DECIDED)
