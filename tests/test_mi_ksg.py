"""KSG algorithm 1 and the Kozachenko-Leonenko entropy (method "ksg").

Tolerances: KSG's bias for Gaussians is small when the dimension is low (Kraskov et al.
Fig. 4: |bias| << 0.01 nats at N >= 1000 for d = 1 pairs) and grows negative with the
dimension / strength of dependence; its sd at N = 5,000, k = 3 is ~0.02 bits (1-D) — we
measured bias +0.008, sd 0.022 (1-D, rho 0.6) and +0.013, sd 0.024 (2+2-D, rho 0.6) over
10 seeds. Tolerance = |bias| + 3 sd, rounded.
"""

from __future__ import annotations

import numpy as np
import pytest

import ibcore.mi as mi
from ibcore.mi.synthetic import correlated_gaussians, random_gaussian_pair


@pytest.mark.parametrize("rho", [0.0, 0.6, 0.9])
def test_scalar_correlated_gaussians(rho):
    x, y, true = correlated_gaussians(5000, rho=rho, random_state=1)
    assert mi.estimate(x, y, method="ksg") == pytest.approx(true, abs=0.08)


def test_moderate_dimension():
    x, y, true = correlated_gaussians(5000, dim=2, rho=0.6, random_state=2)
    assert mi.estimate(x, y, method="ksg", k=4) == pytest.approx(true, abs=0.08)
    # non-diagonal joint: 3 + 3 dims, true 0.22 bits; measured bias -0.04 at 5+5, sd 0.026
    x, y, true = random_gaussian_pair(5000, 3, 3, strength=0.5, random_state=3)
    assert mi.estimate(x, y, method="ksg") == pytest.approx(true, abs=0.1)


def test_invariance_under_smooth_invertible_maps():
    """I(f(X); g(Y)) = I(X;Y) for invertible f, g; KSG is not exactly invariant (distances
    change) but stays within its statistical error when the maps are smooth."""
    x, y, true = correlated_gaussians(5000, rho=0.7, random_state=4)
    base = mi.estimate(x, y, method="ksg")
    warped = mi.estimate(x**3 + x, np.exp(y), method="ksg")
    assert warped == pytest.approx(base, abs=0.06)
    assert warped == pytest.approx(true, abs=0.1)


def test_entropy_kozachenko_leonenko():
    x = np.random.default_rng(5).normal(size=(5000, 2)) * [1.0, 3.0]
    true = 0.5 * np.log2((2 * np.pi * np.e) ** 2 * 9.0)
    assert mi.entropy(x, method="ksg") == pytest.approx(true, abs=0.05)


def test_ties_need_jitter():
    x = np.repeat(np.linspace(0, 1, 50), 4)
    y = x + 0.0
    with pytest.raises(ValueError, match="jitter"):
        mi.estimate(x, y, method="ksg", jitter=0.0)
    assert mi.estimate(x, y, method="ksg", jitter=1e-6) > 2.0


def test_random_state_makes_jitter_reproducible():
    x, y, _ = correlated_gaussians(500, random_state=6)
    a = mi.estimate(x, y, method="ksg", jitter=1e-3, random_state=3)
    assert a == mi.estimate(x, y, method="ksg", jitter=1e-3, random_state=3)


def test_1e5_points():
    # (its speed against the reference algorithm is measured in benchmarks/bench_ksg.py)
    x, y, true = correlated_gaussians(100_000, rho=0.5, random_state=7)
    assert mi.estimate(x, y, method="ksg") == pytest.approx(true, abs=0.02)


def _reference_ksg_bits(x, y, k):
    """KSG algorithm 1 with plain cKDTree ball queries, the textbook way (no fast paths)."""
    from scipy.spatial import cKDTree
    from scipy.special import digamma

    z = np.hstack([x, y])
    eps = cKDTree(z).query(z, k=k + 1, p=np.inf)[0][:, -1]
    r = np.nextafter(eps, 0.0)
    nx = np.asarray(cKDTree(x).query_ball_point(x, r, p=np.inf, return_length=True)) - 1
    ny = np.asarray(cKDTree(y).query_ball_point(y, r, p=np.inf, return_length=True)) - 1
    nats = digamma(k) + digamma(len(x)) - np.mean(digamma(nx + 1) + digamma(ny + 1))
    return nats / np.log(2)


@pytest.mark.parametrize(("n", "dim", "k"), [(3000, 1, 3), (2000, 2, 3), (1000, 5, 5), (800, 5, 1)])
@pytest.mark.parametrize("workers", [1, 2])
def test_fast_neighbour_paths_equal_the_textbook_algorithm(n, dim, k, workers):
    x, y, _ = correlated_gaussians(n, dim=dim, rho=0.6, random_state=20 + dim)
    x *= 1e3  # scales far from 1 exercise the rounding at the ends of the 1-D interval
    ref = _reference_ksg_bits(x, y, k)
    got = mi.estimate(x, y, method="ksg", k=k, standardize=False, jitter=0.0, workers=workers)
    assert got == pytest.approx(ref, abs=1e-9)


def test_1d_interval_count_handles_points_exactly_on_the_radius():
    from scipy.spatial import cKDTree

    from ibcore.mi.ksg import _count_within_1d

    rng = np.random.default_rng(4)
    a = rng.standard_normal(2000) * 37.0
    # radius = the distance to another sample: that sample lies exactly on the boundary
    radius = np.abs(a - np.roll(a, 1))
    got = _count_within_1d(a, radius)
    closed = cKDTree(a[:, None]).query_ball_point(
        a[:, None], np.nextafter(radius, 0.0), p=np.inf, return_length=True
    )
    assert np.array_equal(got, np.asarray(closed) - 1)


def test_ixt_of_a_noisy_layer():
    # T = X deterministic, 1-D Gaussian; T~ = T + N(0, b^2): I(X;T~) = 1/2 log2(1 + 1/b^2)
    t = np.random.default_rng(8).standard_normal((20_000, 1))
    got = mi.ixt(t, method="ksg", noise_std=0.5, random_state=1)
    assert got == pytest.approx(0.5 * np.log2(1 + 1 / 0.25), abs=0.03)
    assert got == mi.ixt(t, method="ksg", noise_std=0.5, random_state=1)
    assert got != mi.ixt(t, method="ksg", noise_std=0.5, random_state=2)
    with pytest.raises(ValueError, match="noise_std"):
        mi.ixt(t, method="ksg")
