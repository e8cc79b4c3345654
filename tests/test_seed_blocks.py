"""Seed blocks: grouping, one stored run per seed, failures, and numbers equal to single runs."""

from __future__ import annotations

import json

import pytest

from ibcore.cli import main
from ibcore.errors import ConfigError
from ibcore.runner import plan
from ibcore.seed_blocks import units
from ibcore.store import RunStore


def add_block_experiment(toy, seed_block: int) -> None:
    """Switch on the toy's block experiment `fitb` (a block version of `fit`)."""
    cfg = toy / "config.toml"
    text = cfg.read_text().replace("skip = true          # the seed-block", "skip = false  #")
    cfg.write_text(text.replace("seed_block = 1", f"seed_block = {seed_block}"))


def stored(paper="toy", profile="quick", experiment="fitb"):
    store = RunStore()
    out = {}
    for spec in plan(paper, profile):
        if spec.experiment == experiment and store.is_done(spec):
            d = store.run_dir(spec)
            out[spec.seed] = (json.loads((d / "metrics.json").read_text()),
                              json.loads((d / "provenance.json").read_text()))
    return out


def test_units_group_block_experiments_and_keep_the_rest_single(toy):
    add_block_experiment(toy, seed_block=2)
    specs = plan("toy", "quick")
    got = [[(s.experiment, s.seed) for s in u] for u in units(specs)]
    assert [("fitb", 0), ("fitb", 1)] in got and [("fitb", 2), ("fitb", 3)] in got
    assert [("fitb", 4)] in got
    assert all(len(u) == 1 for u in got if u[0][0] != "fitb")


def test_a_block_stores_each_seed_as_its_own_run(toy):
    add_block_experiment(toy, seed_block=3)
    assert main(["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]) == 0
    runs = stored()
    assert sorted(runs) == [0, 1, 2, 3, 4]
    # fixed blocks {0, 1, 2} and {3, 4, 5}: seed 5 is trained with its block but not stored
    assert [runs[s][0]["block_len"] for s in range(5)] == [3, 3, 3, 3, 3]
    assert runs[0][1]["seed_block"] == [0, 1, 2] and runs[4][1]["seed_block"] == [3, 4, 5]
    assert len({runs[s][0]["slope"] for s in range(5)}) == 5  # seeds differ


def test_block_numbers_equal_one_run_per_seed(toy, monkeypatch, tmp_path):
    add_block_experiment(toy, seed_block=5)
    assert main(["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]) == 0
    block = stored()
    # the same experiment as single runs (seed_block = 1) in a fresh store
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "single"))
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("seed_block = 5", "seed_block = 1"))
    assert main(["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]) == 0
    single = stored()
    for s in range(5):
        assert block[s][0]["slope"] == single[s][0]["slope"]
        assert block[s][0]["loss_curve"] == single[s][0]["loss_curve"]


def test_a_seed_always_trains_in_its_fixed_block_whatever_is_missing(toy, monkeypatch, tmp_path):
    """Resumed or asked for a subset, seed s trains with seeds 5⌊s/5⌋ … 5⌊s/5⌋ + 4, so its
    stored numbers are those of an uninterrupted sweep (a stack's rounding may depend on its
    size on some CPUs; see ibcore.seed_blocks)."""
    add_block_experiment(toy, seed_block=5)
    fitb = ["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]
    assert main([*fitb, "--seeds", "2-3"]) == 0
    part = stored()
    assert sorted(part) == [2, 3] and part[2][1]["seed_block"] == [0, 1, 2, 3, 4]
    assert main(fitb) == 0  # resume: 0, 1 and 4 are missing, the block trains all five again
    resumed = stored()
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "uninterrupted"))
    assert main(fitb) == 0
    fresh = stored()
    assert sorted(resumed) == sorted(fresh) == [0, 1, 2, 3, 4]
    assert all(resumed[s][0] == fresh[s][0] for s in range(5))
    assert {resumed[s][0]["block_len"] for s in range(5)} == {5}


def test_a_failing_block_fails_its_seeds_only_and_resumes(toy, capsys):
    add_block_experiment(toy, seed_block=2)
    cfg = toy / "config.toml"
    fails, fixed = "fail_seed = 3\nseed_block", "fail_seed = -1\nseed_block"
    cfg.write_text(cfg.read_text().replace(fixed, fails))
    assert main(["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]) != 0
    assert sorted(stored()) == [0, 1, 4]  # the block of seeds 2 and 3 failed together
    cfg.write_text(cfg.read_text().replace(fails, fixed))
    # the failure is a parameter, so the fixed config is a new set of runs; all five finish
    assert main(["run", "toy", "--profile", "quick", "--experiments", "fitb", "--quiet"]) == 0
    assert sorted(stored()) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("value, message", [
    ("0", "must be a positive integer"),
    ("2.5", "must be a positive integer"),
])
def test_a_bad_seed_block_is_an_error_naming_the_field(toy, value, message):
    add_block_experiment(toy, seed_block=2)
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("seed_block = 2", f"seed_block = {value}"))
    with pytest.raises(ConfigError, match=rf"experiment 'fitb', field 'seed_block' {message}"):
        units(plan("toy", "quick"))


def test_seed_block_on_an_ordinary_experiment_is_an_error(toy):
    cfg = toy / "config.toml"
    cfg.write_text(cfg.read_text().replace("fail_seed = -1", "fail_seed = -1\nseed_block = 2", 1))
    with pytest.raises(ConfigError, match=r"'fit' sets seed_block = 2, but .* not a Block"):
        units(plan("toy", "quick"))
