"""Result bundles: deterministic bytes, offline checks, code-version notes, corrupt files."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from ibcore import bundle
from ibcore.cli import main
from ibcore.results import collect, verdicts

RUN = ["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]


def bundle_file() -> Path:
    return Path(os.environ["IBREP_RESULTS"]) / "smoke" / "toy.json.gz"


def test_bundle_is_deterministic_small_and_has_no_arrays(toy):
    assert main(RUN) == 0
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    first = bundle_file().read_bytes()
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    assert bundle_file().read_bytes() == first  # same content, same bytes (mtime 0)
    content = json.loads(gzip.decompress(first))
    assert len(content["runs"]) == 6 and content["missing"] == []
    run = content["runs"][0]
    assert set(run) == {"experiment", "params", "seed", "key", "code", "metrics", "provenance"}
    assert "wall_time_s" in run["provenance"]
    assert "x" not in json.dumps(run["metrics"])  # the toy's array `x` is not bundled
    assert len(first) < 5 * 1024 * 1024


def test_offline_check_matches_store_and_runs_nothing(toy, capsys, monkeypatch, tmp_path):
    assert main(RUN) == 0
    online = [v.to_dict() for v in verdicts("toy", "smoke")]
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "empty-store"))  # nothing stored here
    capsys.readouterr()
    assert main(["check", "toy", "--profile", "smoke", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "slope_near_two" in out and "0 verdict(s) differ" in out
    assert not (tmp_path / "empty-store").exists()  # nothing ran, nothing was written
    offline = bundle.load(bundle_file())
    items = verdicts("toy", "smoke", collected=offline.collected())
    assert [v.to_dict() for v in items] == online


def test_rule_change_that_flips_a_bundled_verdict_fails_the_offline_check(toy, capsys):
    assert main(RUN) == 0
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    assert main(["check", "--offline", "--all-bundles"]) == 0
    claims = toy / "claims.toml"
    text = claims.read_text()
    claims.write_text(text.replace("abs_tol = 0.5", "abs_tol = 0.0000001", 1))
    assert claims.read_text() != text
    capsys.readouterr()
    assert main(["check", "--offline", "--all-bundles"]) == 1
    assert "differs from expect" in capsys.readouterr().out


def test_bundle_from_other_code_is_used_and_says_so(toy, capsys):
    assert main(RUN) == 0
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    (toy / "experiment.py").write_text((toy / "experiment.py").read_text() + "\n# edited\n")
    capsys.readouterr()
    assert main(["check", "toy", "--profile", "smoke", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "made with code version" in out and "the current code is" in out


def test_corrupt_or_malformed_bundle_exits_2_naming_the_file(toy, capsys):
    path = bundle_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not gzip at all")
    assert main(["check", "toy", "--profile", "smoke", "--offline"]) == 2
    assert f"{path}: corrupt" in capsys.readouterr().err
    path.write_bytes(bundle.encode({"format": "ibrep-bundle", "version": 1, "paper": "toy",
                                    "profile": "smoke", "code": "x", "runs": [{}],
                                    "missing": []}))
    assert main(["check", "toy", "--profile", "smoke", "--offline"]) == 2
    assert f"{path}: runs[0]: field 'experiment'" in capsys.readouterr().err


def test_missing_bundle_is_an_error_and_no_runs_no_bundle(toy, capsys):
    assert main(["check", "toy", "--profile", "smoke", "--offline"]) == 2
    assert "no such bundle" in capsys.readouterr().err
    assert main(["bundle", "toy", "--profile", "smoke"]) == 2
    assert "no finished runs" in capsys.readouterr().err
    assert not bundle_file().exists()


def test_bundle_keeps_an_experiment_only_with_all_its_seeds(toy):
    assert main(RUN) == 0
    full = bundle.build("toy", "smoke")
    full["missing"].append(full["runs"].pop(0))  # fit seed 0 lost
    del full["missing"][-1]["metrics"], full["missing"][-1]["provenance"]
    found = bundle.Bundle(Path("x.json.gz"), full).collected()
    assert "fit" not in found.metrics and [s.seed for s in found.missing["fit"]] == [0]
    assert found.metrics["curve"] == collect("toy", "smoke").metrics["curve"]


def test_bundle_over_5_mb_is_refused_and_nothing_is_written(toy, capsys):
    assert main(RUN) == 0
    content = bundle.build("toy", "smoke")
    # hex of random bytes: 4 bits of entropy per character, so ~6 MB after gzip
    content["runs"][0]["metrics"]["noise"] = os.urandom(6 * 1024 * 1024).hex()
    path = bundle_file()
    with pytest.raises(bundle.BundleError, match="bundle would be .* over the 5 MB limit"):
        bundle.write(content, path)
    assert not path.parent.exists() or list(path.parent.iterdir()) == []


def test_bundle_in_the_wrong_place_is_rejected(toy, capsys):
    assert main(RUN) == 0
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    wrong = bundle_file().parent.parent / "quick" / "toy.json.gz"
    wrong.parent.mkdir()
    bundle_file().rename(wrong)
    assert main(["check", "--offline", "--all-bundles"]) == 2
    assert f"{wrong}: holds toy [smoke], which belongs at" in capsys.readouterr().err
