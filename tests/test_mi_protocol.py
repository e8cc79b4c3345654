"""Protocol of ibcore.mi: registry, dispatch, units, sklearn-style classes, validation."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

import ibcore.mi as mi
from ibcore.mi.synthetic import correlated_gaussians

MI_METHODS = [m for m, cls in mi.REGISTRY.items() if cls.units == "bits"]


def test_registry_is_a_table_of_classes():
    assert set(mi.REGISTRY) == {"binning", "kde", "gaussian", "ksg", "edge", "hsic"}
    assert mi.REGISTRY["hsic"].units == "hsic"
    assert all(mi.REGISTRY[m].units == "bits" for m in MI_METHODS)


@pytest.mark.parametrize("name", sorted(mi.REGISTRY))
def test_init_stores_parameters_only(name):
    cls = mi.REGISTRY[name]
    est = cls()
    params = est.get_params()
    sig = inspect.signature(cls.__init__).parameters
    assert set(params) == set(sig) - {"self"}
    assert all(params[k] == sig[k].default for k in params)
    assert name in repr(est).lower() or cls.__name__ in repr(est)


def test_randomised_estimators_take_random_state():
    for name in ("ksg", "edge", "hsic"):
        assert "random_state" in mi.REGISTRY[name]().get_params()


def test_unknown_method_and_bad_params():
    x, y, _ = correlated_gaussians(100, random_state=0)
    with pytest.raises(ValueError, match="unknown method"):
        mi.estimate(x, y, method="nope")
    with pytest.raises(ValueError, match="bad parameters"):
        mi.estimate(x, y, method="ksg", kk=3)


def test_hsic_is_not_bits():
    x, y, _ = correlated_gaussians(200, random_state=0)
    with pytest.raises(ValueError, match="dependence"):
        mi.estimate(x, y, method="hsic")
    assert mi.dependence(x, y, method="hsic") > 0
    with pytest.raises(ValueError, match="mutual information"):
        mi.dependence(x, y, method="ksg")


def test_entropy_dispatch():
    assert mi.entropy(np.arange(8), method="binning") == pytest.approx(3.0)
    with pytest.raises(ValueError, match="no entropy"):
        mi.entropy(np.ones((10, 1)), method="edge")


def test_torch_and_1d_inputs_agree_with_numpy():
    x, y, _ = correlated_gaussians(500, rho=0.7, random_state=1)
    ref = mi.estimate(x, y, method="ksg")
    assert mi.estimate(torch.from_numpy(x), torch.from_numpy(y), method="ksg") == ref
    assert mi.estimate(x[:, 0], y[:, 0], method="ksg") == ref


@pytest.mark.parametrize("method", MI_METHODS + ["hsic"])
def test_input_validation(method):
    call = mi.dependence if method == "hsic" else mi.estimate
    x = np.random.default_rng(0).normal(size=(50, 2))
    labels = np.arange(50) % 3
    y = labels if method == "kde" else x[:, :1] + 1.0
    with pytest.raises(ValueError, match="same number of samples"):
        call(x, y[:40], method=method)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        call(bad, y, method=method)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="NaN or inf"):
        call(bad, y, method=method)
    with pytest.raises(ValueError, match="empty"):
        call(np.empty((0, 2)), np.empty((0, 1)), method=method)
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        call(np.zeros((5, 2, 2)), np.zeros(5), method=method)


@pytest.mark.parametrize(
    ("method", "x", "y"),
    [
        ("ksg", np.arange(20), np.arange(20) % 3),  # integer codes: no density
        ("gaussian", np.arange(20), np.ones(20)),
        ("kde", np.ones((20, 2)), np.linspace(0, 1, 20)),  # y must be class labels
        ("kde", np.arange(20), np.arange(20) % 2),  # activities must be continuous
    ],
)
def test_wrong_kind_of_data(method, x, y):
    with pytest.raises(ValueError, match=method):
        mi.estimate(x, y, method=method)


def test_hyperparameter_errors():
    x, y, _ = correlated_gaussians(50, random_state=0)
    with pytest.raises(ValueError, match="k must be"):
        mi.estimate(x, y, method="ksg", k=0)
    with pytest.raises(ValueError, match="more samples than k"):
        mi.estimate(x[:3], y[:3], method="ksg", k=3)
    with pytest.raises(ValueError, match="noise_var"):
        mi.estimate(x, np.arange(50) % 2, method="kde", noise_var=-1.0)
    with pytest.raises(ValueError, match="bound"):
        mi.estimate(x, np.arange(50) % 2, method="kde", bound="middle")
    with pytest.raises(ValueError, match="hash"):
        mi.estimate(x, y, method="edge", hash="md5")
    with pytest.raises(ValueError, match="estimator"):
        mi.dependence(x, y, method="hsic", estimator="fast")
    with pytest.raises(ValueError, match="bin_size or n_bins"):
        mi.estimate(x, y, method="binning", n_bins=None)


def test_ixt_is_one_call_for_every_family():
    rng = np.random.default_rng(9)
    t = rng.standard_normal((400, 3))
    x_rows = rng.standard_normal((400, 5))
    n = len(t)
    # binning / EDGE: I(T; sample index); KDE: the closed form of its mixture bound
    assert mi.ixt(t, "binning", n_bins=4) == pytest.approx(
        mi.estimate(t, np.arange(n), method="binning", n_bins=4)
    )
    raw = mi.estimate(t, np.arange(n), method="edge", random_state=1)
    assert mi.ixt(t, "edge", random_state=1) == pytest.approx(np.clip(raw, 0, np.log2(n)))
    assert mi.ixt(t, "edge", random_state=1) != mi.ixt(t, "edge", random_state=2)
    assert mi.ixt(t, "kde", noise_var=0.1) == pytest.approx(mi.kde.mi_x_t(t, 0.1))
    assert mi.ixt(t, "hsic", inputs=x_rows, normalized=True) == pytest.approx(
        mi.dependence(x_rows, t, method="hsic", normalized=True)
    )
    with pytest.raises(ValueError, match="inputs"):
        mi.ixt(t, "hsic")
    with pytest.raises(ValueError, match="no I\\(X;T\\)"):
        mi.ixt(t, "gaussian")


def test_ixt_with_repeated_inputs():
    # two copies of every input: X takes n/2 values, T = f(X) -> I(X;T) = H(T) <= log2(n/2)
    codes = np.repeat(np.arange(50), 2)
    t = codes.astype(np.float64)[:, None]
    inputs = codes[:, None] * np.ones((1, 4))
    got = mi.ixt(t, "binning", inputs=inputs, n_bins=50)
    assert got == pytest.approx(np.log2(50))
    assert mi.ixt(codes, "edge", inputs=inputs) == pytest.approx(np.log2(50))
    with pytest.raises(ValueError, match="distinct"):
        mi.ixt(t, "kde", inputs=inputs)
