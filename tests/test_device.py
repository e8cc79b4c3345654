"""`--device` reaches every run's RunContext and its provenance (CPU only is exercised here)."""

from __future__ import annotations

import pytest

import ibcore.runner
import ibcore.seed_blocks
import ibcore.sweep
from ibcore.cli import build_parser, main
from ibcore.runner import Outcome, execute, plan
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

    monkeypatch.setattr(ibcore.seed_blocks, "execute", fake_execute)  # a single run's path
    specs = plan("toy", "smoke")
    ibcore.sweep.run_sweep(specs, executor="serial", device="cuda", show_progress=False)
    assert seen == ["cuda"] * len(specs)


def test_device_joins_the_run_key_only_off_the_cpu(toy):
    cpu = plan("toy", "smoke")
    cuda = plan("toy", "smoke", device="cuda")
    assert [s.key for s in cpu] == [s.key for s in plan("toy", "smoke", device="cpu")]
    assert "device" not in cpu[0].identity()  # CPU keys are those from before devices existed
    assert cuda[0].identity()["device"] == "cuda"
    assert {s.key for s in cpu}.isdisjoint(s.key for s in cuda)


def test_running_a_spec_on_another_device_is_refused(toy):
    spec = plan("toy", "smoke")[0]
    with pytest.raises(ValueError, match="planned for device 'cpu'"):
        execute(spec, device="cuda")


def test_runner_pins_blas_threads_for_every_run(toy, monkeypatch):
    from threadpoolctl import threadpool_info

    seen = []

    def probe(cfg, ctx):
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return {"ok": 1.0}

    class Probe:
        def experiments(self):
            return {spec.experiment: probe}

    spec = plan("toy", "smoke")[0]
    monkeypatch.setattr(ibcore.runner.registry, "get", lambda paper: Probe())
    assert execute(spec).status == "done"
    if not seen:
        pytest.skip("numpy reports no BLAS thread pool here")
    assert set(seen) == {ibcore.runner.torch_threads()}
