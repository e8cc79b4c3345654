"""Blahut–Arimoto against the two textbook closed forms (Cover & Thomas §10.3)."""

import numpy as np
import pytest

from ibcore.rd import (
    binary_hamming_rd,
    blahut_arimoto,
    discretised_gaussian,
    gaussian_rd,
    grid_variance,
    hamming_source,
    rd_curve,
)


@pytest.mark.parametrize("p_one", [0.1, 0.3, 0.5])
def test_binary_hamming_matches_closed_form(p_one):
    p, d = hamming_source(p_one)
    for pt in rd_curve(p, d, [1.5, 2.5, 4.0, 7.0]):
        assert pt.distortion < min(p_one, 1 - p_one)
        assert abs(pt.rate_bits - binary_hamming_rd(p_one, pt.distortion)) < 1e-6


def test_gaussian_matches_closed_form_on_fine_grid():
    p, d, grid = discretised_gaussian(sigma=1.3, n=301, width=7.0)
    var = grid_variance(p, grid)
    assert abs(var - 1.69) < 1e-6
    for pt in rd_curve(p, d, [0.5, 2.0, 8.0]):
        assert abs(pt.rate_bits - gaussian_rd(var, pt.distortion)) < 1e-3


def test_lagrangian_never_increases_and_rate_falls_with_distortion():
    p, d, _ = discretised_gaussian(sigma=1.0, n=121, width=6.0)
    pts = rd_curve(p, d, [8.0, 4.0, 2.0, 1.0])
    for pt in pts:
        assert np.all(np.diff(pt.lagrangian) <= 1e-12)
    dists = [pt.distortion for pt in pts]
    rates = [pt.rate_bits for pt in pts]
    assert np.all(np.diff(dists) > 0) and np.all(np.diff(rates) < 0)


def test_zero_beta_gives_zero_rate():
    p, d = hamming_source(0.3)
    pt = blahut_arimoto(p, d, 0.0)
    assert pt.rate_bits < 1e-9
    np.testing.assert_allclose(pt.channel.sum(axis=1), 1.0)


def test_rejects_bad_inputs():
    with pytest.raises(ValueError):
        blahut_arimoto([0.5, 0.6], np.ones((2, 2)), 1.0)
    with pytest.raises(ValueError):
        blahut_arimoto([0.5, 0.5], np.ones((3, 2)), 1.0)
    with pytest.raises(ValueError):
        blahut_arimoto([0.5, 0.5], np.ones((2, 2)), -1.0)
