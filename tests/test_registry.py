"""`ibcore.registry`: replications found by path, once per process; short names from [meta]."""

from __future__ import annotations

import os
import shutil

import pytest

from ibcore import registry
from ibcore.cli import main


def test_short_name_comes_from_meta(toy):
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("[meta]\n", '[meta]\nshort = "ty"\n', 1))
    registry._scan.cache_clear()  # the fixture's root was scanned before the edit
    assert registry.short_names()["ty"] == "toy"
    rep = registry.get("ty")
    assert rep.name == "toy" and rep.directory == toy and not rep.builtin
    assert main(["run", "ty", "--profile", "smoke", "--experiments", "curve", "--quiet"]) == 0
    assert "ty" not in registry.available()  # listed by folder name only


def test_builtin_short_names_are_each_replications_own(monkeypatch):
    monkeypatch.delenv("IBREP_REPLICATIONS_PATH", raising=False)
    names = registry.short_names()
    assert names and all(registry.get(s).name == full for s, full in names.items())
    for short, full in names.items():
        assert registry.get(full).config.meta["short"] == short


def test_roots_are_scanned_once_per_process(toy, monkeypatch):
    calls = []
    original = registry._short_name
    monkeypatch.setattr(registry, "_short_name", lambda p: calls.append(p) or original(p))
    registry._scan.cache_clear()
    first = registry.get("toy")
    registry.get("toy")
    registry.available()
    assert calls.count(toy / "config.toml") == 1
    assert registry.get("toy") is not first  # a new handle: config and claims read afresh
    assert registry.get(first) is first  # an object passes through


def test_a_replication_only_in_a_later_root_is_found_and_first_root_wins(toy, tmp_path,
                                                                         monkeypatch):
    second = tmp_path / "second"
    shutil.copytree(toy, second / "toy")
    shutil.copytree(toy, second / "toy2")
    monkeypatch.setenv("IBREP_REPLICATIONS_PATH", f"{toy.parent}{os.pathsep}{second}")
    assert registry.get("toy").directory == toy
    assert registry.get("toy2").directory == second / "toy2"
    with pytest.raises(registry.UnknownReplication, match="unknown replication 'toy3'"):
        registry.get("toy3")
