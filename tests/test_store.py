"""Run store: atomic writes, NaN rejection, partial runs never trusted, stable keys."""

import json

import numpy as np
import pytest

from ibcore.store import RunSpec, RunStore, StoreError, dumps_metrics


def spec(**kw):
    base = dict(paper="p", experiment="e", profile="quick", params={"a": 1}, seed=0, code="c")
    return RunSpec(**{**base, **kw})


def test_key_depends_on_everything_that_determines_numbers():
    keys = {spec().key, spec(seed=1).key, spec(params={"a": 2}).key, spec(profile="smoke").key,
            spec(code="d").key, spec(experiment="f").key}
    assert len(keys) == 6
    assert spec().key == spec().key


def test_write_roundtrip_and_done_marker(tmp_path):
    store = RunStore(tmp_path)
    s = spec()
    assert not store.is_done(s)
    store.write(s, {"x": np.float32(1.5), "c": [1, 2]}, {"arr": np.arange(3)}, {"wall": 1})
    assert store.is_done(s)
    assert store.metrics(s) == {"c": [1, 2], "x": 1.5}
    assert store.arrays(s)["arr"].tolist() == [0, 1, 2]
    assert json.loads((store.run_dir(s) / "run.json").read_text())["seed"] == 0


def test_nan_metric_rejected_and_nothing_written(tmp_path):
    store = RunStore(tmp_path)
    with pytest.raises(StoreError, match=r"metric 'layers\[1\].ixt' is nan"):
        store.write(spec(), {"layers": [{"ixt": 1.0}, {"ixt": float("nan")}]}, {}, {})
    assert not any(tmp_path.rglob("metrics.json"))
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.rglob("*"))


def test_partial_run_is_cleaned_not_trusted(tmp_path):
    store = RunStore(tmp_path)
    s = spec()
    d = store.run_dir(s)
    d.mkdir(parents=True)
    (d / "metrics.json").write_text('{"x": 999}')  # written, but no `done` marker
    leftover = d.parent / f".tmp-{s.key}-abc"
    leftover.mkdir()
    assert not store.is_done(s)
    store.clean_partial(s)
    assert not d.exists() and not leftover.exists()
    store.write(s, {"x": 1.0}, {}, {})
    assert store.metrics(s) == {"x": 1.0}


def test_metrics_json_is_canonical():
    assert dumps_metrics({"b": 1, "a": [np.int64(2)]}) == dumps_metrics({"a": [2], "b": 1})
    with pytest.raises(StoreError, match="unsupported type"):
        dumps_metrics({"a": object()})


def test_code_version_follows_only_what_the_experiments_import(tmp_path, monkeypatch):
    """Editing a figure module or an unused ibcore module keeps runs; editing an import does not."""
    from ibcore.store import code_version, import_closure

    rep = tmp_path / "demo"
    rep.mkdir()
    (rep / "__init__.py").write_text("")
    (rep / "experiment.py").write_text("from .helper import f\nfrom ibcore.mi import binning\n")
    (rep / "helper.py").write_text("def f():\n    return 1\n")
    (rep / "figures.py").write_text("import matplotlib\n")
    files = {p.name for p in import_closure(rep, "replications.demo")}
    assert {"experiment.py", "helper.py", "binning.py", "runner.py"} <= files
    assert "figures.py" not in files and "claims.py" not in files and "bayes.py" not in files
    before = code_version(rep, "replications.demo")
    (rep / "figures.py").write_text("import matplotlib  # restyled\n")
    assert code_version(rep, "replications.demo") == before
    (rep / "helper.py").write_text("def f():\n    return 2\n")
    assert code_version(rep, "replications.demo") != before
