"""Gaussian closed forms and the sample plug-in (method "gaussian")."""

from __future__ import annotations

import numpy as np
import pytest

import ibcore.mi as mi
from ibcore.mi import gaussian
from ibcore.mi.synthetic import correlated_gaussians, random_gaussian_pair


@pytest.mark.parametrize("rho", [-0.9, 0.0, 0.3, 0.99])
def test_scalar_closed_form(rho):
    cov = np.array([[1.0, rho], [rho, 1.0]]) * 3.0
    assert gaussian.gaussian_mi_from_cov(cov, [0], [1]) == pytest.approx(
        -0.5 * np.log2(1 - rho**2), abs=1e-12
    )


def test_multivariate_closed_form_and_symmetry():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(40, 40))
    cov = a @ a.T / 40 + np.eye(40)
    sx, sy = cov[:20, :20], cov[20:, 20:]
    ref = 0.5 * (np.linalg.slogdet(sx)[1] + np.linalg.slogdet(sy)[1]
                 - np.linalg.slogdet(cov)[1]) / np.log(2)
    got = gaussian.gaussian_mi_from_cov(cov, range(20), range(20, 40))
    assert got == pytest.approx(ref, rel=1e-10)
    assert gaussian.gaussian_mi_from_cov(cov, range(20, 40), range(20)) == pytest.approx(got)


def test_linear_channel_equals_joint_covariance_form():
    rng = np.random.default_rng(1)
    w, sx, s2 = rng.normal(size=(3, 5)), np.diag(rng.uniform(0.5, 2, 5)), 0.4
    joint = np.block([[w @ sx @ w.T + s2 * np.eye(3), w @ sx], [sx @ w.T, sx]])
    ref = gaussian.gaussian_mi_from_cov(joint, range(3), range(3, 8))
    assert gaussian.linear_channel_mi(w, s2, sx) == pytest.approx(ref, rel=1e-10)
    assert gaussian.subspace_mi(w, s2, range(5), sx) == pytest.approx(ref, rel=1e-10)


def test_scalar_channel_and_teacher():
    # T = w X + e: I = 1/2 log2(1 + w^2 / s2); Y = X + n: I(T;Y) by hand
    assert gaussian.linear_channel_mi([[2.0]], 1.0) == pytest.approx(0.5 * np.log2(5.0))
    w, s2, sy = 2.0, 1.0, 0.5
    rho2 = (w * 1.0) ** 2 / ((w**2 + s2) * (1.0 + sy))
    got = gaussian.linear_teacher_mi([[w]], s2, [1.0], sy)
    assert got == pytest.approx(-0.5 * np.log2(1 - rho2), rel=1e-12)


def test_relevant_and_irrelevant_inputs():
    # T reads only coordinate 0; coordinate 1 is irrelevant
    w = np.array([[1.0, 0.0]])
    assert gaussian.subspace_mi(w, 0.25, [1]) == pytest.approx(0.0, abs=1e-12)
    assert gaussian.subspace_mi(w, 0.25, [0]) == pytest.approx(0.5 * np.log2(5.0))
    # information about a subset never exceeds the information about all inputs
    w2 = np.array([[1.0, 0.5]])
    assert gaussian.subspace_mi(w2, 0.25, [0]) < gaussian.linear_channel_mi(w2, 0.25)


def test_sample_plugin_scalar():
    """Plug-in bias ~ dx dy / (2 n ln 2) = 7e-6 bits at n=1e5; sd ~ rho/sqrt(n)/ln2 ~ 0.003."""
    x, y, true = correlated_gaussians(100_000, rho=0.6, random_state=0)
    assert mi.estimate(x, y, method="gaussian") == pytest.approx(true, abs=0.012)


@pytest.mark.parametrize("d", [5, 20])
def test_sample_plugin_multivariate(d):
    """Upward bias dx dy / (2 n ln 2): 0.0009 (d=5), 0.014 (d=20) bits at n=20,000; the
    measured sd over seeds is 0.006 / 0.011 bits, so tolerance = bias + 4 sd."""
    x, y, true = random_gaussian_pair(20_000, d, d, random_state=d)
    bias = d * d / (2 * 20_000 * np.log(2))
    tol = {5: 0.025, 20: 0.045}[d]
    assert mi.estimate(x, y, method="gaussian") - true == pytest.approx(bias, abs=tol)


def test_gaussian_entropy():
    x = np.random.default_rng(2).normal(size=(50_000, 1)) * 2.0
    assert mi.entropy(x, method="gaussian") == pytest.approx(
        0.5 * np.log2(2 * np.pi * np.e * 4.0), abs=0.01
    )


def test_singular_and_overlapping_covariances_are_errors():
    with pytest.raises(ValueError, match="singular"):
        gaussian.gaussian_mi_from_cov(np.ones((2, 2)), [0], [1])
    with pytest.raises(ValueError, match="overlap"):
        gaussian.gaussian_mi_from_cov(np.eye(3), [0, 1], [1, 2])
