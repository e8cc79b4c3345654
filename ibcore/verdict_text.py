"""The answer first: a short verdict paragraph generated from a page's claim records.

Input is the list of per-claim records a results file holds (`Verdict.to_dict()`), so the
page, the index and a README read the same numbers. Paper claims are counted; checks are
mentioned apart; every paper claim that did not reproduce gets one line with the
replication's own explanation (`explain` in its claims.toml), or says that none is recorded.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from ibcore.claims import VERDICTS

WORDS = {"reproduced": "reproduced", "not_reproduced": "did not reproduce",
         "inconclusive": "are undecided (inconclusive)", "not_run": "were not run"}


def count(records: Sequence[dict[str, Any]], kind: str | None = "paper") -> dict[str, int]:
    """Verdict → count, in the fixed order of VERDICTS, of the claims of `kind` (None: all)."""
    out = dict.fromkeys(VERDICTS, 0)
    for r in records:
        if kind is None or r.get("kind", "paper") == kind:
            out[r["verdict"]] += 1
    return out


def _list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary_sentence(records: Sequence[dict[str, Any]], profile: str) -> str:
    """'At the quick profile, 12 of 30 paper claims reproduced, 5 did not reproduce, …'."""
    counts = count(records)
    total = sum(counts.values())
    if not total:
        return f"At the {profile} profile this page has no paper claims."
    parts = [f"{n} {WORDS[v]}" for v, n in counts.items() if n]
    first = parts[0].split(" ", 1)
    parts[0] = f"{first[0]} of {total} paper claims {first[1]}"
    checks = count(records, "check")
    n_checks = sum(checks.values())
    tail = ""
    if n_checks:
        tail = (f" Of {n_checks} checks (self-consistency, not claims of the paper), "
                f"{checks['reproduced']} pass.")
    return f"At the {profile} profile, {_list(parts)}.{tail}"


def verdict_paragraph(records: Sequence[dict[str, Any]], profile: str) -> str:
    """HTML: the summary sentence, then one line per paper claim that did not reproduce."""
    failed = [r for r in records
              if r.get("kind", "paper") == "paper" and r["verdict"] == "not_reproduced"]
    lines = "".join(
        f"<li>{html.escape(r['statement'])} "
        f"<small>(<code>{html.escape(r['id'])}</code>)</small> — "
        f"{html.escape(r.get('explain') or 'no explanation recorded yet')}</li>"
        for r in failed
    )
    body = f'<p class="ibrep-answer">{html.escape(summary_sentence(records, profile))}</p>'
    if failed:
        body += f"<p>What did not reproduce, and why we think so:</p><ul>{lines}</ul>"
    return f'<div class="ibrep-verdict">{body}</div>'
