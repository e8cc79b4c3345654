"""The README's results table is generated from the committed results files and kept in step."""

import json
from pathlib import Path

import pytest

from ibcore.glance import END, START, GlanceError, block, current_block, render_table, update_readme

ROOT = Path(__file__).resolve().parent.parent


def write_summary(reports: Path, profile: str, paper: str, counts: dict, checks: dict) -> None:
    (reports / profile).mkdir(parents=True, exist_ok=True)
    (reports / profile / f"{paper}.json").write_text(
        json.dumps({"paper": paper, "profile": profile, "counts": counts, "checks": checks}))


def test_table_counts_paper_claims_and_checks_apart(tmp_path):
    write_summary(tmp_path, "quick", "p", {"reproduced": 3, "not_reproduced": 1,
                                           "inconclusive": 2, "not_run": 0},
                  {"reproduced": 1, "not_reproduced": 1})
    table = render_table(tmp_path)
    assert "| quick | [p](reports/quick/p.html) | 3 | 1 | 2 | 0 | 1 of 2 |" in table


def test_update_rewrites_only_the_block(tmp_path):
    write_summary(tmp_path, "quick", "p", {"reproduced": 1}, {})
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START}\nold\n{END}\noutro\n")
    assert update_readme(readme, tmp_path) is True
    text = readme.read_text()
    assert text.startswith("intro\n") and text.endswith("outro\n") and "old" not in text
    assert update_readme(readme, tmp_path) is False


def test_a_readme_without_the_block_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("no block")
    with pytest.raises(GlanceError, match="no results block"):
        current_block(readme)


def test_committed_readme_matches_committed_results():
    assert current_block(ROOT / "README.md") == block(ROOT / "reports"), \
        "README.md's results table is stale: run `ibrep readme` and commit"
