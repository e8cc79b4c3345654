"""EDGE's XOR-hash variant (Gupta 2021) and the information-plane helpers of gupta2021."""

import numpy as np
import pytest

import ibcore.mi as mi
from ibcore.mi.synthetic import correlated_gaussians
from replications.gupta2021.planes import rank_agreement, saturation
from replications.gupta2021.runtime import loglog_slope


def _edge(x, y, hash_, **kw):
    return mi.estimate(x, y, method="edge", hash=hash_, random_state=3, **kw)


def test_xor_equals_floor_hash_in_one_dimension():
    # one coordinate: the XOR of a single element hash is that hash, so both variants see
    # the same partition and give the same plug-in estimate
    x, y, _ = correlated_gaussians(3000, dim=1, rho=0.8, random_state=0)
    assert _edge(x, y, "xor") == pytest.approx(_edge(x, y, "floor"), abs=1e-12)


def test_xor_hash_coarsens_the_floor_partition():
    # in several dimensions XOR merges cells (collisions), and merging buckets can only
    # lower the plug-in MI of one base estimate (data processing on the empirical law)
    x, y, _ = correlated_gaussians(4000, dim=3, rho=0.9, random_state=1)
    floor = _edge(x, y, "floor", n_estimators=1)
    xor = _edge(x, y, "xor", n_estimators=1)
    assert xor <= floor + 1e-12
    assert xor < floor  # and the collisions are not rare at this resolution


def test_xor_hash_tracks_dependence_strength():
    est = [
        _edge(*correlated_gaussians(4000, dim=2, rho=r, random_state=2)[:2], "xor")
        for r in (0.0, 0.6, 0.95)
    ]
    assert est[0] < est[1] < est[2]
    assert abs(est[0]) < 0.2


def test_xor_hash_sample_index_gives_capped_entropy():
    # I(T; index) for distinct samples: bounded by the hashed entropy of T, never above
    # log2 N
    rng = np.random.default_rng(4)
    t = rng.standard_normal((2000, 20))
    val = _edge(t, np.arange(2000), "xor")
    assert 0.0 < val <= np.log2(2000) + 1e-9


def test_rank_agreement():
    assert rank_agreement([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert rank_agreement([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert rank_agreement([1, 1, 1, 1], [1, 2, 3, 4]) == 0.0


def test_saturation_share():
    early = [[0.0, 2.0, 3.0, 3.0, 3.0, 3.0]]
    late = [[0.0, 0.0, 0.0, 0.0, 1.0, 3.0]]
    assert saturation(early, 3) == 0.0
    assert saturation(late, 3) == pytest.approx(1.0)
    # worst layer counts; a flat layer is saturated
    assert saturation([[1.0] * 6, late[0]], 3) == pytest.approx(1.0)


def test_loglog_slope_recovers_power():
    ns = [100, 200, 400, 800]
    assert loglog_slope(ns, [1e-6 * n**1.5 for n in ns]) == pytest.approx(1.5)
