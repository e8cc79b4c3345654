"""Shared fixtures: an isolated run store / reports folder, and the toy fixture replication."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Fresh IBREP_HOME, IBREP_REPORTS and IBREP_RESULTS under tmp_path; returns tmp_path."""
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "runs"))
    monkeypatch.setenv("IBREP_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("IBREP_RESULTS", str(tmp_path / "results"))
    return tmp_path


@pytest.fixture
def toy(isolated, monkeypatch):
    """A private copy of the toy replication (tests may edit it); returns its folder."""
    root = isolated / "reps"
    shutil.copytree(FIXTURES / "toy", root / "toy", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("IBREP_REPLICATIONS_PATH", str(root))
    return root / "toy"
