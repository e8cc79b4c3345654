"""End to end through the CLI on the toy fixture: determinism, resume, check, bad input, reports."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ibcore.cli import main
from ibcore.runner import plan
from ibcore.store import RunStore


def metrics_bytes(paper="toy", profile="smoke", experiment="fit"):
    store = RunStore()
    return [(store.run_dir(s) / "metrics.json").read_bytes()
            for s in plan(paper, profile) if s.experiment == experiment]


def ibrep(*args: str, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ibcore", *args], capture_output=True, text=True,
                          env=env or os.environ.copy(), **kw)


def test_same_seed_gives_byte_identical_metrics(toy, monkeypatch, tmp_path):
    assert main(["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    first = metrics_bytes()
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "runs2"))
    assert main(["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    assert metrics_bytes() == first
    assert len(set(first)) == 5  # the five seeds differ from each other


def test_process_pool_matches_serial(toy, monkeypatch, tmp_path):
    assert main(["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    serial = metrics_bytes()
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "pool"))
    assert main(["run", "toy", "--profile", "smoke", "--jobs", "2", "--quiet"]) == 0
    assert metrics_bytes() == serial


def test_finished_runs_are_reused(toy, capsys):
    assert main(["run", "toy", "--profile", "smoke", "--quiet"]) == 0
    assert main(["run", "toy", "--profile", "smoke", "--quiet"]) == 0
    assert "0 run(s) computed, 6 reused" in capsys.readouterr().out


def test_kill_mid_run_then_resume_matches_uninterrupted(toy, tmp_path):
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("[profiles.smoke.fit]\n",
                                           "[profiles.smoke.fit]\nsleep_s = 3.0\n"))
    started = tmp_path / "started"
    env = {**os.environ, "IBREP_TOY_STARTED": str(started)}
    args = ("run", "toy", "--profile", "smoke", "--experiments", "fit", "--seeds", "0",
            "--jobs", "1", "--quiet")
    proc = subprocess.Popen([sys.executable, "-m", "ibcore", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not started.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the run never started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = RunStore()
    spec = [s for s in plan("toy", "smoke", (0,)) if s.experiment == "fit"][0]
    assert not store.is_done(spec)
    assert ibrep(*args).returncode == 0
    assert store.is_done(spec)
    resumed = (store.run_dir(spec) / "metrics.json").read_bytes()
    fresh_env = {**os.environ, "IBREP_HOME": str(tmp_path / "fresh")}
    assert ibrep(*args, env=fresh_env).returncode == 0
    fresh = (tmp_path / "fresh" / "toy" / "fit" / spec.key / "metrics.json").read_bytes()
    assert resumed == fresh
    leftovers = [p for p in Path(os.environ["IBREP_HOME"]).rglob(".tmp-*")]
    assert leftovers == []


def test_check_passes_then_fails_when_expect_is_wrong(toy, capsys):
    assert main(["check", "toy", "--profile", "smoke", "--quiet"]) == 0
    claims = toy / "claims.toml"
    claims.write_text(claims.read_text().replace('expect = "reproduced"',
                                                 'expect = "not_reproduced"', 1))
    assert main(["check", "toy", "--profile", "smoke", "--quiet"]) == 1
    assert "differs from expect" in capsys.readouterr().out


def test_claim_naming_unknown_metric_is_a_clear_error(toy, capsys):
    claims = toy / "claims.toml"
    claims.write_text(claims.read_text().replace('metric = "slope"', 'metric = "slop"'))
    assert main(["check", "toy", "--profile", "smoke", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "claims.toml: claim 'slope_near_two'" in err and "metric 'slop' not produced" in err


def test_nan_metric_fails_the_run_and_stores_nothing(toy, capsys):
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("[profiles.smoke.fit]\n",
                                           "[profiles.smoke.fit]\nnan = true\n"))
    assert main(["run", "toy", "--profile", "smoke", "--quiet"]) == 5  # every fit seed failed
    assert "metric 'slope' is nan" in capsys.readouterr().err
    store = RunStore()
    fit_specs = [s for s in plan("toy", "smoke") if s.experiment == "fit"]
    assert not any(store.is_done(s) for s in fit_specs)
    assert all(store.failed_path(s).is_file() for s in fit_specs)
    assert list(store.home.glob("toy/fit/*/metrics.json")) == []  # nothing of fit was stored
    curve = [s for s in plan("toy", "smoke") if s.experiment == "curve"]
    assert all(store.is_done(s) for s in curve)  # the healthy experiment still ran


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "nosuchpaper"], "unknown replication 'nosuchpaper'"),
        (["run", "toy", "--profile", "fast"], "unknown profile 'fast'"),
    ],
)
def test_bad_names_exit_2(toy, capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_malformed_config_exits_2_naming_the_file(toy, capsys):
    (toy / "config.toml").write_text("[base.fit\n")
    assert main(["run", "toy", "--profile", "smoke"]) == 2
    assert f"{toy / 'config.toml'}: malformed TOML" in capsys.readouterr().err
    assert not (Path(os.environ["IBREP_HOME"])).exists()


def test_report_is_self_contained_and_indexed(toy):
    assert main(["replicate", "toy", "--profile", "smoke", "--quiet"]) == 0
    reports = Path(os.environ["IBREP_REPORTS"])
    page = (reports / "smoke" / "toy.html").read_text()
    assert "slope_near_two" in page and "v-reproduced" in page
    assert "data:image/png;base64" in page
    external = re.findall(r'<script[^>]+src="https?:|<link[^>]+href="https?:', page)
    assert external == []
    assert "import(\"https" not in page
    assert "Deviations from the paper" in page and "Provenance" in page
    assert page.index("slope_near_two") < page.index("Deviations from the paper")
    index = (reports / "index.html").read_text()
    assert 'href="smoke/toy.html"' in index


def test_failing_report_leaves_no_half_written_page(toy, capsys):
    assert main(["run", "toy", "--profile", "smoke", "--quiet"]) == 0
    (toy / "report.py").write_text("# %%\nraise RuntimeError('boom in cell')\n")
    assert main(["report", "toy", "--profile", "smoke"]) == 2
    assert "boom in cell" in capsys.readouterr().err
    reports = Path(os.environ["IBREP_REPORTS"])
    assert not reports.exists() or not list(reports.rglob("*toy*"))


def test_status_lists_missing_and_done(toy, capsys):
    assert main(["run", "toy", "--profile", "smoke", "--experiments", "curve", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["status", "toy", "--profile", "smoke"]) == 0
    out = capsys.readouterr().out
    assert "1/6 done (1 done, 0 failed, 5 missing)" in out
