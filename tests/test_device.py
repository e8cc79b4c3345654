"""`--device` reaches every run's RunContext and its provenance (CPU only is exercised here)."""

from __future__ import annotations

import pytest

import ibcore.sweep
from ibcore.cli import build_parser, main
from ibcore.runner import Outcome, plan
from ibcore.store import RunStore


def test_device_flag_defaults_to_cpu_and_rejects_others():
    assert build_parser().parse_args(["run", "toy"]).device == "cpu"
    assert build_parser().parse_args(["run", "toy", "--device", "cuda"]).device == "cuda"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "toy", "--device", "tpu"])


def test_cpu_run_records_its_device(toy):
    assert main(["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet",
                 "--device", "cpu"]) == 0
    store = RunStore()
    for spec in plan("toy", "smoke"):
        assert store.provenance(spec)["device"] == "cpu"


def test_sweep_hands_the_device_to_each_run(toy, monkeypatch):
    seen = []

    def fake_execute(spec, home, executor, show_progress=None, device="cpu"):
        seen.append(device)
        return Outcome(spec, "done")

    monkeypatch.setattr(ibcore.sweep, "execute", fake_execute)
    specs = plan("toy", "smoke")
    ibcore.sweep.run_sweep(specs, executor="serial", device="cuda", show_progress=False)
    assert seen == ["cuda"] * len(specs)
