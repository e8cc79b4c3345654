"""The authors' EDGE settings (edge_authors.py) and the XOR collision rate (collisions.py)."""

import numpy as np
import pytest

from ibcore.mi.synthetic import correlated_gaussians
from replications.gupta2021 import edge_authors as ea
from replications.gupta2021.collisions import xor_collision_rate
from replications.gupta2021.planes import collision_free, headroom


def test_projected_dim_and_knn_rank_follow_the_authors_formulas():
    assert ea.projected_dim(784, 10000) == 9  # floor(log2(1000))
    assert ea.projected_dim(1, 10000) == 1
    assert ea.knn_k(10000, 9) == int(0.43 * 10000 ** (2 / 3 + 0.17 * 0.9) * np.exp(-1e-4))


def _pair(rho: float, n: int = 4000, d: int = 2, seed: int = 0):
    x, y, true = correlated_gaussians(n, d, rho, np.random.default_rng(seed))
    rng = np.random.default_rng(1)
    return ea.prepare(x, rng), ea.prepare(y, rng), true


def test_authors_edge_tracks_dependence_and_is_small_when_independent():
    strong = ea.authors_edge(*_pair(0.9)[:2], 10.0, (1.0, 1.0), n_members=5, range_factor=0.0)
    weak = ea.authors_edge(*_pair(0.3)[:2], 10.0, (1.0, 1.0), n_members=5, range_factor=0.0)
    none = ea.authors_edge(*_pair(0.0)[:2], 10.0, (1.0, 1.0), n_members=5, range_factor=0.0)
    assert strong > weak > none >= 0.001  # the per-edge floor keeps it positive
    assert none < 0.2


def test_label_side_keeps_every_class_apart():
    y = np.repeat(np.arange(10), 100).astype(float)
    labels = ea.prepare(y, np.random.default_rng(0))
    t = ea.prepare(np.eye(10)[y.astype(int)] + 0.001 * np.random.default_rng(1).standard_normal(
        (1000, 10)), np.random.default_rng(2))
    ity = ea.authors_edge(labels, t, ea.U_TY, (ea.GAMMA_Y, 0.5), fixed_eps=ea.FIXED_EPS_TY)
    assert ity == pytest.approx(np.log2(10), abs=0.4)  # T determines the label


def test_xor_collisions_high_at_coarse_eps_low_at_fine():
    t = np.random.default_rng(0).standard_normal((5000, 20))
    assert xor_collision_rate(t, None, 0) > 0.5
    assert xor_collision_rate(t, 0.05, 0) < 0.02


def test_xor_equals_floor_in_one_dimension_no_collisions():
    t = np.random.default_rng(1).standard_normal((3000, 1))
    assert xor_collision_rate(t, 0.1, 0) == 0.0


def test_collision_free_masks_epochs_and_flags_pinned_series():
    stats = {"ixt": [[5.0, 4.0, 3.0, 2.0]], "ity": [[1.0, 2.0, 2.5, 3.0]]}
    out = collision_free(stats, [[0.0, 0.5, 0.0, 0.0]], ceiling=13.0, h_y=3.32)
    assert out["ixt"] == [[5.0, 3.0, 2.0]] and out["ok_share"] == 0.75
    assert out["evaluable"] == 1.0 and out["ity_rise"] == 2.0
    pinned = collision_free({"ixt": [[13.0] * 4], "ity": [[3.32] * 4]}, [[0.0] * 4], 13.0, 3.32)
    assert pinned["evaluable"] == 0.0
    assert headroom([[13.0, 12.0], [13.0, 13.0]], 13.0) == 0.0
