"""Shared figure helpers: what they draw can be checked on the axes they return."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ibcore.plots import epoch_colorbar, epoch_norm, info_plane, seed_band, use_theme  # noqa: E402


def test_info_plane_draws_one_coloured_curve_per_layer_on_a_log_epoch_scale():
    use_theme()
    fig, ax = plt.subplots()
    epochs = [0, 10, 100, 1000]
    ixt = {"layer1": [1, 2, 3, 2.5], "layer2": [0.5, 1, 1.5, 1.2]}
    ity = {"layer1": [0.1, 0.5, 0.9, 0.95], "layer2": [0.1, 0.4, 0.8, 0.9]}
    mappable = info_plane(ax, ixt, ity, epochs)
    epoch_colorbar(fig, mappable, ax)
    points = [c for c in ax.collections if len(c.get_offsets()) == 4]
    assert len(points) == 2 and len(ax.lines) == 2
    colours = points[0].get_array()
    assert list(colours) == [1, 10, 100, 1000]  # epoch 0 drawn at 1 on the log scale
    assert mappable.norm.vmin == 1 and mappable.norm.vmax == 1000
    assert [t.get_text() for t in ax.texts] == ["T1", "T2"]
    plt.close(fig)


def test_info_plane_rejects_series_that_do_not_match_the_epochs():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="layer T1 has 2/2 points for 3 epochs"):
        info_plane(ax, [[1, 2]], [[1, 2]], [1, 2, 3])
    with pytest.raises(ValueError, match="different layers"):
        info_plane(ax, {"a": [1]}, {"b": [1]}, [1])
    plt.close(fig)


def test_seed_band_is_the_mean_with_one_sd_or_the_range():
    fig, ax = plt.subplots()
    per_seed = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]])
    seed_band(ax, [1, 2], per_seed, label="a")
    assert np.allclose(ax.lines[0].get_ydata(), [2.0, 4.0])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    sd = per_seed.std(axis=0, ddof=1)
    assert np.isclose(band.min(), 2.0 - sd[0]) and np.isclose(band.max(), 4.0 + sd[1])
    seed_band(ax, [1, 2], per_seed, spread="range")
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    assert band.min() == 0.0 and band.max() == 8.0
    seed_band(ax, [1, 2], per_seed[:1])  # one seed: a line, no band
    assert len(ax.collections) == 2
    with pytest.raises(ValueError, match="seeds, 3"):
        seed_band(ax, [1, 2, 3], per_seed)
    plt.close(fig)


def test_epoch_norm_never_collapses():
    assert epoch_norm([0]).vmax == 2.0 and epoch_norm([5, 50]).vmax == 50.0
