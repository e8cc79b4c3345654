"""`ibrep status`: progress done/total and the time left from the finished runs' wall times."""

from __future__ import annotations

from ibcore.cli import main
from ibcore.runner import plan
from ibcore.status import Progress, format_duration, progress


def test_time_left_uses_each_experiments_mean_wall_time_and_jobs(toy):
    specs = plan("toy", "paper")  # fit: 5 seeds (curve is skipped in paper)
    p = Progress(done=specs[:2], missing=specs[2:], wall={"fit": [10.0, 30.0]})
    assert p.total == 5
    assert p.seconds_left(jobs=1) == 60.0  # three missing runs at the mean, 20 s
    assert p.seconds_left(jobs=2) == 30.0
    assert p.seconds_left(jobs=8) == 20.0  # no more slots than runs left
    assert Progress(missing=specs).seconds_left() is None  # nothing timed yet
    assert Progress(done=specs, wall={"fit": [1.0] * 5}).seconds_left() == 0.0


def test_unseen_experiment_is_estimated_from_all_finished_runs(toy):
    fit = [s for s in plan("toy", "smoke") if s.experiment == "fit"]
    curve = [s for s in plan("toy", "smoke") if s.experiment == "curve"]
    p = Progress(done=fit, missing=curve, wall={"fit": [4.0, 8.0]})
    assert p.seconds_left(jobs=1) == 6.0


def test_status_prints_done_total_and_time_left(toy, capsys):
    assert main(["run", "toy", "--profile", "smoke", "--experiments", "fit", "--jobs", "1",
                 "--quiet"]) == 0
    found = progress("toy", "smoke")
    assert [s.experiment for s in found.missing] == ["curve"] and len(found.wall["fit"]) == 5
    capsys.readouterr()
    assert main(["status", "toy", "--profile", "smoke", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "toy [smoke]: 5/6 done" in out
    assert "time left ≈" in out and "from the wall times of 5 finished run(s)" in out


def test_format_duration():
    assert format_duration(42) == "42 s"
    assert format_duration(600) == "10 min"
    assert format_duration(3 * 3600) == "3.0 h"


def test_sweep_progress_lines_are_rate_limited_and_end_with_the_last():
    from ibcore.sweep import ProgressLines

    quiet: list[str] = []
    lines = ProgressLines(4, quiet.append, every=1e9)
    for k in range(1, 5):
        lines.update(k)
    assert len(quiet) == 1 and quiet[0].startswith("4/4 runs finished, ≈ 0 s left")
    chatty: list[str] = []
    lines = ProgressLines(3, chatty.append, every=0.0)
    for k in range(1, 4):
        lines.update(k)
    assert [m.split(" ")[0] for m in chatty] == ["1/3", "2/3", "3/3"]
