"""Exact MI of the EDGE paper's test distributions (replications/gupta2021/ground_truth.py)."""

import numpy as np
import pytest
from scipy.stats import norm

from replications.gupta2021.ground_truth import (
    DISTRIBUTIONS,
    entropy_1d,
    mixture_mi,
    uniform_noise_mi,
)

H_STD_NORMAL = 0.5 * np.log2(2 * np.pi * np.e)


def test_entropy_1d_matches_gaussian_closed_form():
    assert entropy_1d(norm.pdf, -15, 15) == pytest.approx(H_STD_NORMAL, abs=1e-8)


def test_uniform_noise_small_a_approaches_entropy_difference():
    # a -> 0: Y ~ X, so I = 2 (h(N(0,1)) - log2 a) + O(a^2)
    a = 0.01
    assert uniform_noise_mi(a) == pytest.approx(2 * (H_STD_NORMAL - np.log2(a)), abs=1e-3)


def test_uniform_noise_matches_monte_carlo():
    # I = 2 (h(Y1) - log2 a); h(Y1) = E[-log2 p(Y1)] by sampling from the model itself
    a = 0.5
    rng = np.random.default_rng(0)
    y = rng.standard_normal(400_000) + a * rng.uniform(size=400_000)
    h_mc = -np.mean(np.log2((norm.cdf(y) - norm.cdf(y - a)) / a))
    assert uniform_noise_mi(a) == pytest.approx(2 * (h_mc - np.log2(a)), abs=0.01)


def test_uniform_noise_decreases_with_noise_width():
    values = [uniform_noise_mi(a) for a in (0.1, 0.2, 0.5, 1.0, 2.0)]
    assert np.all(np.diff(values) < 0)


def test_mixture_limits():
    assert mixture_mi((1.0, 1.0, 1.0, 1.0)) == pytest.approx(0.0, abs=1e-8)
    # well-separated components: the label is recoverable, I = H(X) = 2 bits
    assert mixture_mi((0.0, 30.0, 60.0, 90.0)) == pytest.approx(2.0, abs=1e-6)


def test_mixture_paper_case_is_small_and_positive():
    assert 0.0 < mixture_mi() < 0.5


def test_samplers_shapes_and_types():
    rng = np.random.default_rng(1)
    for name, dist in DISTRIBUTIONS.items():
        x, y = dist.sample(100, rng)
        assert x.shape[0] == y.shape[0] == 100
        if name == "mixture":
            assert x.dtype == np.int64 and set(np.unique(x)) <= {1, 2, 3, 4}
            assert y.shape == (100, 4)
        else:
            assert x.shape == y.shape == (100, 2)
            assert np.all((y - x >= 0) & (y - x <= float(name.split("_a")[1])))
