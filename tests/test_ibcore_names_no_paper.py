"""ibcore is the shared library: no replication's name (folder or short name) appears in it.

Replications are found by path (`ibcore.registry`); paper-specific code and data live under
`replications/`. Citations ("Saxe et al. 2018") are capitalised prose and do not match.
"""

from __future__ import annotations

import re
from pathlib import Path

import ibcore
from ibcore import registry

IBCORE = Path(ibcore.__file__).parent


def replication_names() -> set[str]:
    """Every built-in replication's folder name and `[meta] short` name."""
    builtin = {n for n in registry.available() if registry.get(n).builtin}
    short = {s for s, full in registry.short_names().items() if full in builtin}
    return builtin | short


def test_the_names_are_found(monkeypatch):
    monkeypatch.delenv("IBREP_REPLICATIONS_PATH", raising=False)
    names = replication_names()
    assert {"saxe2018", "gupta2021", "saxe", "gupta"} <= names  # the grep below is not vacuous


def test_no_replication_name_in_ibcore(monkeypatch):
    monkeypatch.delenv("IBREP_REPLICATIONS_PATH", raising=False)
    pattern = re.compile(r"\b(" + "|".join(sorted(replication_names())) + r")\b")
    found = []
    for path in sorted(IBCORE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(IBCORE.parent)}:{number}: {line.strip()}")
    assert found == [], "ibcore names a replication:\n" + "\n".join(found)
