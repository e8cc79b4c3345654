"""The README's "Results at a glance" table, generated from the committed results files.

Numbers in the README must come from a committed report, not be typed by hand, so they cannot
go stale: `ibrep readme` rewrites the block between the two markers below from
`reports/<profile>/<paper>.json`, and a test fails when the committed README and the committed
results disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ibcore.claims import VERDICTS
from ibcore.config import PROFILES

START, END = "<!-- results-at-a-glance:start -->", "<!-- results-at-a-glance:end -->"


class GlanceError(ValueError):
    """The README has no (or a broken) results block, or a results file is unreadable."""


def load_summaries(reports: Path) -> list[dict]:
    """Every `reports/<profile>/<paper>.json` with verdict counts, in profile then paper order."""
    out = []
    for profile in PROFILES:
        for path in sorted((reports / profile).glob("*.json")):
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError) as exc:
                raise GlanceError(f"{path}: unreadable results file ({exc})") from None
            if isinstance(data, dict) and isinstance(data.get("counts"), dict):
                out.append({**data, "_page": f"reports/{profile}/{path.stem}.html"})
    return out


def render_table(reports: Path) -> str:
    """Markdown: one row per (profile, paper) with its paper-claim counts and its checks."""
    head = ("| profile | replication | " + " | ".join(v.replace("_", " ") for v in VERDICTS)
            + " | checks passed |\n|---|---|" + "---|" * (len(VERDICTS) + 1))
    rows = []
    for s in load_summaries(reports):
        counts = [str(s["counts"].get(v, 0)) for v in VERDICTS]
        checks = s.get("checks") or {}
        n_checks = sum(checks.values())
        passed = f"{checks.get('reproduced', 0)} of {n_checks}" if n_checks else "—"
        rows.append(f"| {s['profile']} | [{s['paper']}]({s['_page']}) | "
                    + " | ".join(counts) + f" | {passed} |")
    if not rows:
        return "_No committed results yet._"
    return head + "\n" + "\n".join(rows)


def block(reports: Path) -> str:
    return f"{START}\n{render_table(reports)}\n{END}"


def current_block(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    match = re.search(re.escape(START) + r".*?" + re.escape(END), text, flags=re.S)
    if match is None:
        raise GlanceError(f"{readme}: no results block (lines {START} … {END})")
    return match.group(0)


def update_readme(readme: Path, reports: Path) -> bool:
    """Rewrite the README's block from the results files; True when it changed."""
    old = current_block(readme)
    new = block(reports)
    if old == new:
        return False
    readme.write_text(readme.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return True
