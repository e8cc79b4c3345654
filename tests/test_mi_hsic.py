"""HSIC (method "hsic", reached through ibcore.mi.dependence; not bits).

Tolerances: under independence the biased statistic is O(1/n) positive (its mean is
~ E[k] E[l] / n for a Gaussian kernel, < 1 / n) and the unbiased one has mean 0 and sd
O(1/n); at n = 1,000 both are < 2e-3 in absolute value while a rho = 0.6 dependence gives
~1.5e-2.
"""

from __future__ import annotations

import numpy as np
import pytest

import ibcore.mi as mi
from ibcore.mi.synthetic import correlated_gaussians


@pytest.fixture(scope="module")
def pairs():
    dep = correlated_gaussians(1000, dim=2, rho=0.6, random_state=21)[:2]
    ind = correlated_gaussians(1000, dim=2, rho=0.0, random_state=22)[:2]
    return dep, ind


def test_biased_nonnegative_and_ordered(pairs):
    dep, ind = pairs
    hd, hi = mi.dependence(*dep), mi.dependence(*ind)
    assert 0.0 <= hi < 2e-3
    assert hd > 5 * hi


def test_unbiased_near_zero_under_independence(pairs):
    _, ind = pairs
    assert abs(mi.dependence(*ind, estimator="unbiased")) < 2e-3


def test_normalized_in_unit_interval(pairs):
    dep, ind = pairs
    for x, y in (dep, ind):
        v = mi.dependence(x, y, normalized=True)
        assert 0.0 <= v <= 1.0
    assert mi.dependence(dep[0], dep[0], normalized=True) == pytest.approx(1.0)
    assert mi.dependence(*dep, normalized=True) > mi.dependence(*ind, normalized=True)


def test_matches_direct_matrix_formula():
    x, y, _ = correlated_gaussians(150, rho=0.5, random_state=23)
    n = 150
    k = np.exp(-((x - x.T) ** 2) / 2.0)
    ll = np.exp(-((y - y.T) ** 2) / (2.0 * 4.0))
    h = np.eye(n) - 1.0 / n
    ref = np.trace(k @ h @ ll @ h) / (n - 1) ** 2
    assert mi.dependence(x, y, bandwidth=(1.0, 2.0), chunk_size=17) == pytest.approx(ref)


def test_random_features_approximate_exact(pairs):
    dep, _ = pairs
    exact = mi.dependence(*dep)
    approx = mi.dependence(*dep, n_features=2000)
    assert approx == pytest.approx(exact, rel=0.15)


def test_bandwidth_multiplier_changes_scale(pairs):
    dep, _ = pairs
    assert mi.dependence(*dep, multiplier=2.0) != mi.dependence(*dep)
    with pytest.raises(ValueError, match="bandwidth"):
        mi.dependence(*dep, bandwidth=-1.0)
