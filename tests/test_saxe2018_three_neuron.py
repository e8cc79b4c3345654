"""Saxe et al. three-neuron model: the exact H(T) against limits and a Monte-Carlo check."""

import numpy as np
import pytest

import ibcore.mi as mi
from replications.saxe2018.three_neuron import (
    binned_entropy,
    relu_ixt,
    run,
    tanh_ixt,
    tanh_netinput_ixt,
)


def test_tanh_limits_are_one_bit():
    # tiny w: all mass in the two bins either side of 0; huge w: the two end bins
    assert tanh_ixt(1e-6, 30) == pytest.approx(1.0, abs=1e-6)
    assert tanh_ixt(1e5, 30) == pytest.approx(1.0, abs=1e-3)


def test_relu_tiny_weight_is_one_bin():
    assert relu_ixt(1e-6, 2 / 30) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("w", [0.5, 2.0, 7.0])
def test_tanh_matches_monte_carlo_binning(w):
    x = np.random.default_rng(0).standard_normal(400_000)
    est = mi.entropy(np.tanh(w * x)[:, None], method="binning", n_bins=30,
                     value_range=(-1.0, 1.0))
    assert tanh_ixt(w, 30) == pytest.approx(est, abs=0.01)


def test_relu_matches_monte_carlo_binning():
    x = np.random.default_rng(1).standard_normal(400_000)
    est = mi.entropy(np.maximum(3.0 * x, 0)[:, None], method="binning", bin_size=2 / 30)
    assert relu_ixt(3.0, 2 / 30) == pytest.approx(est, abs=0.01)


def test_netinput_edges_are_a_gaussian_binning():
    edges = np.linspace(-50, 50, 30)
    assert tanh_netinput_ixt(4.0, 30) == pytest.approx(binned_entropy(4.0, edges))


def test_run_shapes_and_peak():
    m = run({"w_max": 10.0, "n_w": 50, "tanh_bins": 30, "relu_bin_width": 2 / 30,
             "netinput_edges": 30}, None)
    assert len(m["w"]) == 50 and m["w"][-1] == pytest.approx(10.0)
    assert 0.2 < m["tanh"]["peak_w"] < 3.0  # saturation sets in around w ~ 1
    assert m["relu"]["peak_w"] == pytest.approx(10.0)
