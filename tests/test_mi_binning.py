"""Binning (plug-in) estimators on discrete joints with exact MI, and on activations.

Tolerances: the plug-in entropy is biased down by about (K - 1) / (2 n ln 2) bits
(Miller-Madow; Paninski 2003), so the plug-in MI is biased up by about
(K_xy - K_x - K_y + 1) / (2 n ln 2). For a 4 x 4 table at n = 20,000 that is 3e-4 bits; the
standard deviation of the plug-in MI for dependent data is about sqrt(Var[log p/(pp)]/n),
~0.01 bits here, so 0.03 bits is > 3 sd.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ibcore.mi as mi
from ibcore.mi import binning
from ibcore.mi.synthetic import discrete_pmf_mi, sample_pmf

P_DEP = np.array(
    [[0.20, 0.05, 0.00, 0.00], [0.05, 0.15, 0.05, 0.00], [0.00, 0.05, 0.15, 0.05],
     [0.00, 0.00, 0.05, 0.20]]
)


def test_discrete_joint_matches_exact_mi():
    x, y = sample_pmf(P_DEP, 20_000, random_state=0)
    assert mi.estimate(x, y, method="binning") == pytest.approx(discrete_pmf_mi(P_DEP), abs=0.03)


def test_independent_codes_near_zero():
    p = np.outer([0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.5, 0.0])
    x, y = sample_pmf(p, 20_000, random_state=1)
    # only the upward plug-in bias remains: 6 free cells / (2 n ln 2) = 2e-4 bits
    assert 0.0 <= mi.estimate(x, y, method="binning") < 0.003


def test_bijection_gives_entropy():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 16, size=5000)
    perm = rng.permutation(16)
    h = mi.entropy(x, method="binning")
    assert mi.estimate(x, perm[x], method="binning") == pytest.approx(h, abs=1e-12)
    assert h == pytest.approx(binning.discrete_entropy(x))


def test_entropy_of_uniform_rows_and_rows_as_symbols():
    rows = np.array([[0, 1], [1, 0], [0, 1], [1, 1]])
    assert binning.discrete_entropy(rows) == pytest.approx(1.5)


def test_fixed_range_clips_into_edge_bins():
    t = np.array([[-5.0], [-1.0], [0.0], [0.99], [1.0], [7.0]])
    idx = binning.bin_indices(t, n_bins=4, value_range=(-1.0, 1.0))
    assert idx.ravel().tolist() == [0, 0, 2, 3, 3, 3]


def test_bin_size_is_unbounded_floor():
    idx = binning.bin_indices(np.array([-0.26, 0.0, 0.24, 10.0]), bin_size=0.25)
    assert idx.ravel().tolist() == [-2, 0, 0, 40]


def test_range_from_history_and_relu_convention():
    hist = [np.array([[0.0, 0.5]]), np.array([[0.2, 3.0]])]
    assert binning.range_from(hist) == (0.0, 3.0)
    assert binning.range_from([np.array([1.0, 2.0])], lower=0.0) == (0.0, 2.0)
    with pytest.raises(ValueError, match="no activations"):
        binning.range_from([])


def test_layer_information_quantities():
    rng = np.random.default_rng(3)
    t = rng.uniform(-1, 1, size=(4000, 3))
    y = (t[:, 0] > 0).astype(np.int64)
    kw = {"n_bins": 2, "value_range": (-1.0, 1.0)}
    # 2 bins per unit, 3 units: 8 equiprobable codes -> H(T) = 3 bits = I(T;X)
    assert binning.mi_x_t(t, **kw) == pytest.approx(3.0, abs=0.01)
    # the first unit's bin is y itself: I(T;Y) = H(Y) = 1 bit
    assert binning.mi_t_y(t, y, **kw) == pytest.approx(1.0, abs=0.01)
    # repeated inputs: each input shown twice, T deterministic in X -> I(T;X) = H(T)
    x = np.repeat(np.arange(2000), 2)
    tt = np.repeat(t[:2000], 2, axis=0)
    assert binning.mi_x_t(tt, x, **kw) == pytest.approx(binning.entropy_t(tt, **kw))
    # T not a function of the given X (X constant): I(T;X) = 0
    assert binning.mi_x_t(t, np.zeros(4000), **kw) == 0.0


def test_large_activation_matrix_under_one_second():
    t = np.tanh(np.random.default_rng(4).normal(size=(10_000, 1024))).astype(np.float32)
    binning.entropy_t(t[:100], n_bins=30, value_range=(-1.0, 1.0))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    h = binning.entropy_t(t, n_bins=30, value_range=(-1.0, 1.0))
    # CPU time is the work done; wall time also counts waiting for a core when the
    # 2 cores are shared, so the smaller of the two is compared with the target
    assert min(time.perf_counter() - wall, time.process_time() - cpu) < 1.0
    assert h == pytest.approx(np.log2(10_000))


@settings(max_examples=40, deadline=None)
@given(
    codes=st.lists(st.tuples(st.integers(0, 5), st.integers(-3, 3)), min_size=1, max_size=200),
    seed=st.integers(0, 2**16),
)
def test_plugin_mi_properties(codes, seed):
    """Plug-in MI is symmetric, 0 <= I <= min(H(X), H(Y)), and invariant to relabelling."""
    arr = np.array(codes, dtype=np.int64)
    x, y = arr[:, 0], arr[:, 1]
    i_xy = mi.estimate(x, y, method="binning")
    assert i_xy == pytest.approx(mi.estimate(y, x, method="binning"), abs=1e-9)
    h_x, h_y = binning.discrete_entropy(x), binning.discrete_entropy(y)
    assert -1e-12 <= i_xy <= min(h_x, h_y) + 1e-9
    perm = np.random.default_rng(seed).permutation(6)
    assert mi.estimate(perm[x], y, method="binning") == pytest.approx(i_xy, abs=1e-9)
    # EDGE on discrete codes with a cap it never reaches is the same plug-in
    assert mi.estimate(x, y, method="edge", U=1e12) == pytest.approx(i_xy, abs=1e-9)
