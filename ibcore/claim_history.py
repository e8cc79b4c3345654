"""When each claim was first committed: the evidence that a tolerance was fixed before the runs.

Reads the git history of a replication's `claims.toml` once (oldest commit first) and records,
for every claim id, the first commit whose diff added the line `id = "<id>"`. Claims generated
from a template (their id line holds placeholders) fall back to the first commit of the
template's id pattern, then of the file. Without git or history (an exported tree) every
date is unknown and the page says so.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_ID_LINE = re.compile(r'^\+id = "([^"]+)"')


@dataclass(frozen=True)
class FirstCommit:
    """The commit that first added a claim's id: its date (YYYY-MM-DD) and short hash."""

    date: str
    commit: str

    def __str__(self) -> str:
        return f"{self.date} ({self.commit})"


def _pattern(template_id: str) -> re.Pattern[str]:
    """A template id such as `{init}_mlp{depth}_error` as a regex over generated ids."""
    parts = re.split(r"\{[^}]+\}", template_id)
    return re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$")


def first_commits(claims_toml: Path) -> tuple[dict[str, FirstCommit], list[tuple[re.Pattern,
                                                                                    FirstCommit]],
                                              FirstCommit | None]:
    """(id → first commit, [(template pattern, first commit)], first commit of the file)."""
    try:
        out = subprocess.run(
            ["git", "log", "--reverse", "--format=@@%h %cs", "-p", "--", claims_toml.name],
            cwd=claims_toml.parent, capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}, [], None
    ids: dict[str, FirstCommit] = {}
    templates: list[tuple[re.Pattern, FirstCommit]] = []
    seen_templates: set[str] = set()
    first: FirstCommit | None = None
    current: FirstCommit | None = None
    for line in out.splitlines():
        if line.startswith("@@") and not line.startswith("@@ "):
            commit, date = line[2:].split(" ", 1)
            current = FirstCommit(date, commit)
            first = first or current
            continue
        match = _ID_LINE.match(line)
        if match and current is not None:
            cid = match.group(1)
            if "{" in cid:
                if cid not in seen_templates:
                    seen_templates.add(cid)
                    templates.append((_pattern(cid), current))
            else:
                ids.setdefault(cid, current)
    return ids, templates, first


def claim_dates(claims_toml: Path, claim_ids: list[str]) -> dict[str, str]:
    """Claim id → 'YYYY-MM-DD (hash)' of its first commit, or 'not in git history'."""
    ids, templates, first = first_commits(claims_toml)
    out = {}
    for cid in claim_ids:
        found = ids.get(cid) or next((c for p, c in templates if p.match(cid)), None) or first
        out[cid] = str(found) if found else "not in git history"
    return out
