"""ibcore.infoplane: epoch schedule and per-layer information-plane coordinates."""

import numpy as np
import pytest

from ibcore.infoplane import PlaneEstimator, information_plane, layer_point, log_epochs


def test_log_epochs_sorted_unique_with_ends():
    ep = log_epochs(1000, 20)
    assert ep[0] == 0 and ep[-1] == 1000
    assert ep == sorted(set(ep))
    assert len(ep) <= 21
    # log spacing: far more logged epochs below 100 than above
    assert sum(e < 100 for e in ep) > sum(e >= 100 for e in ep)


def test_log_epochs_without_zero_and_bad_input():
    assert log_epochs(1, 5, include_zero=False) == [1]
    with pytest.raises(ValueError):
        log_epochs(0, 5)


def test_binning_point_two_values():
    # T takes two values equally often; Y equals T → I(X;T) = I(T;Y) = 1 bit
    t = np.repeat([[-0.9], [0.9]], 50, axis=0)
    y = np.repeat([0, 1], 50)
    ixt, ity = layer_point(t, y, "binning", {"n_bins": 30, "value_range": (-1.0, 1.0)})
    assert ixt == pytest.approx(1.0)
    assert ity == pytest.approx(1.0)


def test_binning_point_label_independent_of_layer():
    t = np.repeat([[-0.9], [0.9]], 50, axis=0)
    y = np.tile([0, 1], 50)  # each T value has both labels equally
    _, ity = layer_point(t, y, "binning", {"n_bins": 30, "value_range": (-1.0, 1.0)})
    assert ity == pytest.approx(0.0, abs=1e-12)


def test_kde_point_far_apart_points_give_log_n():
    n = 16
    t = np.arange(n, dtype=float)[:, None] * 100.0
    ixt, _ = layer_point(t, np.zeros(n, dtype=int), "kde", {"noise_var": 0.1})
    assert ixt == pytest.approx(np.log2(n), abs=1e-6)


def test_history_range_bins_early_epochs_coarsely():
    rng = np.random.default_rng(0)
    late = rng.uniform(0, 10, size=(200, 1))
    early = late / 20  # same ordering, 20x smaller activity
    acts = [[early], [late]]
    y = (late[:, 0] > 5).astype(int)
    per_epoch = information_plane(acts, y, PlaneEstimator("binning", {"n_bins": 100}))
    history = information_plane(acts, y, PlaneEstimator("binning", {"n_bins": 100},
                                                        history_range=True))
    # binned on its own range, the early epoch looks as informative as the late one
    assert per_epoch["ixt"][0][0] == pytest.approx(per_epoch["ixt"][0][1])
    # on the range over training it falls into ~5 of the 100 bins
    assert history["ixt"][0][0] < history["ixt"][0][1] - 2.0
    assert history["ixt"][0][0] < np.log2(6) + 1e-9


def test_information_plane_shape():
    rng = np.random.default_rng(1)
    acts = [[rng.normal(size=(50, 3)), rng.normal(size=(50, 2))] for _ in range(4)]
    out = information_plane(acts, rng.integers(0, 2, 50), PlaneEstimator("kde",
                                                                         {"noise_var": 0.1}))
    assert len(out["ixt"]) == 2 and all(len(s) == 4 for s in out["ixt"])
    assert all(0 <= v <= np.log2(50) + 1e-9 for s in out["ixt"] for v in s)
