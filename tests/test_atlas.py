"""The estimator-sensitivity atlas: re-estimation from stored activations, errors, smoke page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from ibcore import cli
from ibcore.infoplane import PlaneEstimator, information_plane
from ibcore.runner import plan
from ibcore.store import RunStore
from replications.atlas import GRID, AtlasError, build_atlas
from replications.atlas.adaptive import adaptive_codes, equal_mass_edges
from replications.atlas.build import run_ixt
from replications.atlas.sources import load_run
from replications.atlas.verdicts import CLAIMS, evaluate_cell, rule_params
from replications.saxe2018.szt_experiment import BINNING

EXPERIMENTS = ["szt_tanh", "szt_relu"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run store holding the smoke runs of saxe2018's 12-bit tanh and ReLU networks."""
    path = tmp_path_factory.mktemp("atlas_home")
    old = os.environ.get("IBREP_HOME")
    os.environ["IBREP_HOME"] = str(path)
    try:
        code = cli.main(["run", "saxe2018", "--profile", "smoke", "--experiments", *EXPERIMENTS,
                         "--jobs", "1", "--quiet"])
    finally:
        if old is None:
            os.environ.pop("IBREP_HOME")
        else:
            os.environ["IBREP_HOME"] = old
    assert code == 0
    return path


def _spec(experiment: str):
    return plan("saxe2018", "smoke", experiments=[experiment])[0]


def _setting(label: str):
    return next(s for s in GRID if s.label == label)


def _stored_acts(store: RunStore, spec) -> tuple[list[list[np.ndarray]], np.ndarray]:
    arrays = store.arrays(spec)
    names = sorted((k for k in arrays if k.startswith("act_layer")), key=lambda k: int(k[9:]))
    acts = [[arrays[k][e].astype(np.float64) for k in names] for e in range(len(arrays["epochs"]))]
    return acts, arrays["labels"]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_reestimate_equals_replication_estimator_on_stored_activations(home, experiment):
    store = RunStore(home)
    spec = _spec(experiment)
    data = load_run(store, spec)
    acts, y = _stored_acts(store, spec)
    bins = "binning bins=30" if spec.params["activation"] == "tanh" else "binning bins=100"
    ours = run_ixt(data, _setting(bins))
    theirs = information_plane(acts, y, BINNING[spec.params["activation"]])["ixt"][:-1]
    assert ours == theirs  # bit-identical: same estimator, same setting, same inputs
    sub = data.kde_rows
    kde_ours = run_ixt(data, _setting("kde σ²=0.1"))
    kde_theirs = information_plane([[a[sub] for a in ep] for ep in acts], y[sub],
                                   PlaneEstimator("kde", {"noise_var": 0.1}))["ixt"][:-1]
    assert kde_ours == kde_theirs


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_reestimate_matches_value_computed_during_run(home, experiment):
    """Same estimator, same setting, same KDE subset, same float32 activations as the run."""
    store = RunStore(home)
    spec = _spec(experiment)
    metrics = store.metrics(spec)
    data = load_run(store, spec)
    kde_run = [metrics["kde"]["ixt"][f"layer{i + 1}"] for i in range(len(data.layers))]
    kde_ours = run_ixt(data, _setting("kde σ²=0.1"))
    np.testing.assert_allclose(kde_ours, kde_run, rtol=1e-12, atol=0)
    bins = "binning bins=30" if spec.params["activation"] == "tanh" else "binning bins=100"
    bins_run = [metrics["binning"]["ixt"][f"layer{i + 1}"] for i in range(len(data.layers))]
    np.testing.assert_allclose(run_ixt(data, _setting(bins)), bins_run, rtol=1e-12, atol=0)


def test_missing_activation_file_names_the_run(home, tmp_path):
    spec = _spec("szt_relu")
    src = RunStore(home).run_dir(spec)
    other = RunStore(tmp_path)
    dst = other.run_dir(spec)
    shutil.copytree(src, dst)
    (dst / "arrays.npz").unlink()
    with pytest.raises(AtlasError) as err:
        load_run(other, spec)
    message = str(err.value)
    assert spec.label in message and spec.key in message and "arrays.npz" in message


def test_atlas_over_smoke_runs_completes(home, tmp_path):
    store = RunStore(home)
    result = build_atlas("smoke", jobs=1, run_missing=False, store=store, out_dir=tmp_path,
                         log=lambda m: None)
    assert len(result.cells) == len(CLAIMS) * len(GRID)
    for cell in result.cells:
        expected_run = cell.claim.paper == "saxe2018"
        assert (cell.verdict != "not_run") == expected_run, (cell.claim.id, cell.setting.label)
        if expected_run:
            assert cell.mean is not None and np.isfinite(cell.mean) and len(cell.values) == 1
    page = (tmp_path / "atlas.html").read_text()
    assert "Estimator-sensitivity atlas" in page and "data:image/png;base64," in page
    assert "<script" not in page and "http" not in page.split("<body>", 1)[1]
    assert "atlas.html" in (tmp_path / "index.html").read_text()
    again = build_atlas("smoke", jobs=1, run_missing=False, store=store, out_dir=tmp_path,
                        log=lambda m: None)
    assert again.computed == 0 and again.reused == result.computed + result.reused
    assert [c.values for c in again.cells] == [c.values for c in result.cells]


def test_cell_uses_replication_rule_and_margin():
    relu = next(c for c in CLAIMS if c.id == "relu_no_compression")
    binning = _setting("binning bins=30")
    rc = relu.rule_claim(binning)
    assert rc.id == "szt_relu_binning_no_compression" and rc.rule == "monotone"
    slack = rc.params["slack"]
    rising = [[0.0, 1.0, 2.0]] * 5
    falling = [[0.0, 2.0, 2.0 - 2 * slack]] * 5
    # five seeds with the same curve: zero spread, decided by the value
    assert evaluate_cell(relu, binning, [rising] * 5, 4096).verdict == "reproduced"
    assert evaluate_cell(relu, binning, [falling] * 5, 4096).verdict == "not_reproduced"
    one = evaluate_cell(relu, binning, [rising], 4096)
    assert one.verdict == "inconclusive" and one.note == "one seed: no spread"
    hsic = _setting("hsic bw=1")
    assert rule_params(relu.rule_claim(hsic), hsic, 4096)["slack"] == pytest.approx(
        relu.rule_claim(hsic).params["slack"] / 12)
    assert evaluate_cell(relu, binning, [], 4096).verdict == "not_run"


def test_adaptive_bins_hold_equal_mass_and_merge_ties():
    rng = np.random.default_rng(0)
    t = rng.uniform(size=(3000, 2))
    codes = adaptive_codes(t, 10)
    counts = np.bincount(codes.ravel())
    assert len(counts) == 10 and counts.min() >= 0.9 * counts.mean()
    relu = np.concatenate([np.zeros(600), rng.uniform(size=400)])
    edges = equal_mass_edges(relu, 10)
    assert np.all(np.diff(edges) > 0)
    z = adaptive_codes(relu, 10).ravel()
    assert len(set(z[:600])) == 1 and z[0] not in set(z[600:])  # the zeros get one bin


def test_study_is_data_and_not_a_replication(tmp_path, monkeypatch):
    from ibcore import registry
    from replications.atlas.study import STUDY_FILE, StudyError, study

    monkeypatch.delenv("IBREP_REPLICATIONS_PATH", raising=False)
    assert "atlas" not in registry.available()  # no config.toml: `ibrep list` leaves it out
    with pytest.raises(registry.UnknownReplication):
        registry.get("atlas")
    data = study()
    assert len(GRID) == len(data["settings"]) == 17 and len(CLAIMS) == len(data["claims"])
    ksg = [s for s in GRID if s.family == "ksg"]
    assert ksg and all(s.params["noise_std"] == data["sampling"]["ksg_noise_std"] for s in ksg)
    bad = tmp_path / "atlas.toml"
    bad.write_text(STUDY_FILE.read_text().replace('series = "last2"\n', "", 1))
    with pytest.raises(StudyError, match=r"atlas.toml: claims #0: keys"):
        study(bad)
