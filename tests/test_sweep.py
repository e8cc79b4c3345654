"""Executors: Ray and process pool agree with serial; killed workers and failing runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ibcore import lifeline
from ibcore.cli import main
from ibcore.runner import plan
from ibcore.store import RunStore


def metrics_bytes(profile="smoke", seeds=None):
    store = RunStore()
    return {s.key: (store.run_dir(s) / "metrics.json").read_bytes()
            for s in plan("toy", profile, seeds) if store.is_done(s)}


def set_smoke(toy: Path, text: str) -> None:
    cfg = toy / "config.toml"
    header = "[profiles.smoke.fit]\n"
    cfg.write_text(cfg.read_text().replace(header, header + text))


def test_ray_sweep_matches_serial_byte_for_byte(toy, monkeypatch, tmp_path):
    pytest.importorskip("ray")
    assert main(["run", "toy", "--profile", "smoke", "--executor", "serial", "--quiet"]) == 0
    serial = metrics_bytes()
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "ray-runs"))
    assert main(["run", "toy", "--profile", "smoke", "--executor", "ray", "--jobs", "2",
                 "--quiet"]) == 0
    assert metrics_bytes() == serial and len(serial) == len(plan("toy", "smoke"))


def test_failing_run_is_reported_and_others_finish(toy, capsys):
    set_smoke(toy, "fail_seed = 1\n")
    rc = main(["run", "toy", "--profile", "smoke", "--jobs", "2", "--quiet"])
    assert rc == 1  # exit code = number of failed runs
    err = capsys.readouterr().err
    assert "deliberate failure of seed 1" in err
    store = RunStore()
    specs = plan("toy", "smoke")
    failed = [s for s in specs if s.experiment == "fit" and s.seed == 1][0]
    assert store.failed_path(failed).is_file()
    assert "deliberate failure of seed 1" in store.failed_path(failed).read_text()
    assert sum(store.is_done(s) for s in specs) == 5


FIT_0_3 = ["run", "toy", "--profile", "smoke", "--experiments", "fit", "--seeds", "0-3",
           "--jobs", "2", "--quiet"]


def start_sweep(tmp_path: Path, *extra: str) -> subprocess.Popen:
    """`ibrep run` of fit seeds 0-3 in a subprocess, returned once a run has started."""
    started = tmp_path / "started"
    env = {**os.environ, "IBREP_TOY_STARTED": str(started)}
    proc = subprocess.Popen([sys.executable, "-m", "ibcore", *FIT_0_3, *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 90
    while not started.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert started.exists(), "no run started"
    return proc


def command_line(p: psutil.Process) -> list[str]:
    """`p`'s command line, or [] for a process that exited or is a zombie meanwhile."""
    try:
        return p.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return []


def workers_of(proc: subprocess.Popen, marker: str, count: int = 1) -> list[psutil.Process]:
    """Descendants of `proc` whose command line holds `marker` (waits until `count` exist)."""
    deadline = time.time() + 30
    while True:
        found = [c for c in psutil.Process(proc.pid).children(recursive=True)
                 if marker in " ".join(command_line(c))]
        if len(found) >= count or time.time() > deadline:
            return found
        time.sleep(0.1)


def assert_rerun_completes_exactly_the_missing(tmp_path: Path, *extra: str) -> None:
    """Rerun: only the unfinished runs execute, and the metrics equal an uninterrupted sweep."""
    store = RunStore()
    specs = [s for s in plan("toy", "smoke", (0, 1, 2, 3)) if s.experiment == "fit"]
    missing = [s for s in specs if not store.is_done(s)]
    assert missing, "the kill left every run finished"
    assert not list(store.home.rglob(".tmp-*"))
    args = [sys.executable, "-m", "ibcore", *FIT_0_3, *extra]
    rerun = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy())
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(missing)} run(s) computed, {len(specs) - len(missing)} reused" in rerun.stdout
    resumed = metrics_bytes(seeds=(0, 1, 2, 3))
    fresh = {**os.environ, "IBREP_HOME": str(tmp_path / "fresh")}  # uninterrupted, serial
    serial = [sys.executable, "-m", "ibcore", *FIT_0_3, "--executor", "serial"]
    assert subprocess.run(serial, env=fresh, capture_output=True).returncode == 0
    os.environ["IBREP_HOME"], old = str(tmp_path / "fresh"), os.environ["IBREP_HOME"]
    try:
        assert metrics_bytes(seeds=(0, 1, 2, 3)) == resumed
    finally:
        os.environ["IBREP_HOME"] = old
    assert not list(store.home.rglob(".tmp-*"))


def test_killed_worker_then_rerun_only_runs_the_missing(toy, tmp_path):
    set_smoke(toy, "sleep_s = 4.0\n")
    proc = start_sweep(tmp_path)
    workers = workers_of(proc, "spawn_main")
    assert workers, "no pool worker found"
    os.kill(workers[0].pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "worker process died" in err
    assert_rerun_completes_exactly_the_missing(tmp_path)


def test_killed_ray_worker_then_rerun_only_runs_the_missing(toy, tmp_path):
    pytest.importorskip("ray")
    set_smoke(toy, "sleep_s = 2.0\n")
    proc = start_sweep(tmp_path, "--executor", "ray")
    workers = workers_of(proc, "ray::run_unit")
    assert workers, "no Ray worker found"
    os.kill(workers[0].pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "FAILED toy/fit seed" in err
    assert_rerun_completes_exactly_the_missing(tmp_path, "--executor", "ray")


@pytest.mark.parametrize("executor, marker", [("process", "spawn_main"),
                                              ("ray", "ray::run_unit")])
def test_workers_exit_when_the_coordinator_is_killed(toy, tmp_path, executor, marker):
    if executor == "ray":
        pytest.importorskip("ray")
    set_smoke(toy, "sleep_s = 120.0\n")  # the runs would outlive the test by far
    proc = start_sweep(tmp_path, "--executor", executor)
    workers = workers_of(proc, marker, count=2)
    assert len(workers) == 2
    proc.kill()  # SIGKILL: the coordinator cannot clean up
    proc.wait()  # not communicate(): surviving workers would hold its pipes open
    killed_at = time.time()
    alive = workers
    while alive and time.time() - killed_at < 10:
        time.sleep(0.2)
        alive = [p for p in alive if lifeline.alive(p.pid, p.create_time())]
    for p in alive:
        p.kill()
    proc.stdout.close()
    proc.stderr.close()
    assert alive == [], f"workers outlived the coordinator by more than 10 s: {alive}"
    assert time.time() - killed_at < 10.5


def test_ray_missing_gives_install_hint(toy, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    assert main(["run", "toy", "--profile", "smoke", "--executor", "ray", "--quiet"]) == 2
    assert "pip install '.[ray]'" in capsys.readouterr().err
