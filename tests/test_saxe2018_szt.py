"""Saxe et al. 12-bit-task helpers: loss, split, subsets and claim groupings."""

import json

import numpy as np
import pytest
import torch

from replications.saxe2018.snr_step import NO_STEP, step_of
from replications.saxe2018.szt_experiment import (
    BINNING,
    kde_indices,
    kde_subset,
    plane_distance,
    plane_metrics,
)
from replications.saxe2018.szt_training import (
    WIDTHS,
    authors_init,
    sigmoid_output_loss,
    split,
    steps_per_epoch,
)


def test_sigmoid_loss_is_summed_binary_cross_entropy():
    logits = torch.tensor([[0.3, -1.2], [2.0, 0.5]])
    y = torch.tensor([1, 0])
    p = torch.sigmoid(logits)
    manual = -(torch.log(1 - p[0, 0]) + torch.log(p[0, 1])
               + torch.log(p[1, 0]) + torch.log(1 - p[1, 1])) / 2
    assert sigmoid_output_loss(logits, y).item() == pytest.approx(manual.item(), rel=1e-6)


def test_split_is_a_seeded_partition():
    a_tr, a_te = split(100, 0.3, np.random.default_rng(0))
    b_tr, _ = split(100, 0.3, np.random.default_rng(0))
    assert len(a_tr) == 30 and len(a_te) == 70
    assert set(a_tr).isdisjoint(a_te) and set(a_tr) | set(a_te) == set(range(100))
    np.testing.assert_array_equal(a_tr, b_tr)


def test_kde_subset():
    rng = np.random.default_rng(0)
    assert len(kde_subset(100, 0, rng)) == 100
    sub = kde_subset(100, 10, rng)
    assert len(sub) == 10 and len(set(sub)) == 10 and np.all(np.diff(sub) > 0)


def test_plane_metrics_groupings_and_drop():
    ixt = [[1, 2, 3], [1, 3, 2], [0, 2, 1], [0, 4, 1], [0, 1, 1], [0, 1, 0.5]]
    m = plane_metrics({"ixt": ixt, "ity": ixt})
    assert m["ixt_hidden"] == ixt[:5]
    assert m["ixt_near_output"] == [ixt[3], ixt[4]]
    assert m["drop"]["layer4"] == 3
    assert m["drop"]["layer1"] == 0


def test_unbounded_units_use_history_range():
    assert BINNING["relu"].history_range and BINNING["softplus"].history_range
    assert BINNING["tanh"].params["value_range"] == (-1.0, 1.0)


def test_seeds_trained_together_equal_seeds_trained_alone():
    """A block of seeds on the shared trainer gives each seed its single-run numbers: the same
    split and, to float32 rounding, the same training (bitwise on some CPUs only, see
    tests/test_train_batched.py; seed blocks are therefore fixed, ibcore.seed_blocks)."""
    from replications.saxe2018.szt_training import train_szt_seeds

    cfg = {"activation": "relu", "train_frac": 0.8, "n_epochs": 6, "n_log": 3,
           "batch_size": 256, "optimizer": "adam", "lr": 4e-3, "record_snr": True}
    block = train_szt_seeds(cfg, [4, 9])
    alone = train_szt_seeds(cfg, [9])[0]
    rec, idx = block[1]
    np.testing.assert_array_equal(idx, alone[1])
    np.testing.assert_allclose(rec.train_error, alone[0].train_error, atol=1e-3)
    for got, want in zip(rec.snr, alone[0].snr):
        np.testing.assert_allclose(got["snr"], want["snr"], rtol=1e-4)
    for a, b in zip(rec.acts[-1], alone[0].acts[-1]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert not np.array_equal(block[0][0].acts[-1][0], rec.acts[-1][0])  # seeds differ
    assert not np.array_equal(rec.acts[0][0], rec.acts[-1][0])  # it trained


def test_a_seed_block_is_a_function_of_its_seeds_only():
    """End to end through the experiment (planes, KDE subset, SNR, stored arrays): the same
    block twice gives the same bytes, so nothing is drawn from global state; seeds differ."""
    from ibcore.context import RunContext
    from replications.saxe2018 import szt_experiment

    cfg = {"activation": "tanh", "init": "authors", "train_frac": 0.8, "n_epochs": 4,
           "n_log": 3, "batch_size": 256, "optimizer": "adam", "lr": 4e-3,
           "record_snr": True, "estimators": ["binning", "kde"],
           "kde_noise_var": 0.1, "kde_set": "test", "kde_samples": 64}
    fn = szt_experiment.run_block
    first, again = [RunContext(seed=s) for s in (2, 7)], [RunContext(seed=s) for s in (2, 7)]
    np.random.seed(123)  # global state the experiment must not read
    one = fn(cfg, first)
    np.random.seed(456)
    two = fn(cfg, again)
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert json.dumps(one[0], sort_keys=True) != json.dumps(one[1], sort_keys=True)
    assert sorted(first[1].arrays) == sorted(again[1].arrays) and first[1].arrays
    for name, arr in first[1].arrays.items():
        np.testing.assert_array_equal(again[1].arrays[name], arr)


def test_authors_init_truncated_normal_by_width_zero_biases():
    net = authors_init(WIDTHS, "tanh", [0, 1, 2, 3])
    for i, (w, b) in enumerate(zip(net.weights, net.biases)):
        assert torch.all(b == 0)
        width = w.shape[2]
        if i < len(WIDTHS) - 2:
            sd = 1 / np.sqrt(width)
            assert w.abs().max() <= 2 * sd + 1e-6  # truncated at two standard deviations
            # a normal truncated at ±2σ has standard deviation 0.88σ
            assert w.std().item() == pytest.approx(0.88 * sd, rel=0.3)
    assert not torch.equal(net.weights[0][0], net.weights[0][1])  # seeds differ
    again = authors_init(WIDTHS, "tanh", [1])
    assert torch.equal(again.weights[2][0], net.weights[2][1])  # seed k draws the same alone


def test_kde_on_the_test_patterns():
    tr = np.arange(0, 100, 2)
    idx = kde_indices({"kde_set": "test", "kde_samples": 0}, tr, 100, np.random.default_rng(0))
    np.testing.assert_array_equal(idx, np.arange(1, 100, 2))
    idx = kde_indices({"kde_set": "test", "kde_samples": 10}, tr, 100, np.random.default_rng(0))
    assert len(idx) == 10 and set(idx) <= set(range(1, 100, 2))


def test_pinned_layers_are_excluded_and_fitting_rise():
    ceiling = np.log2(16)
    ixt = [[ceiling] * 3, [ceiling - 0.05, ceiling, ceiling], [1, 2, 1.5], [0.5, 1, 1],
           [0.2, 0.5, 0.4], [0.1, 0.2, 0.2]]
    ity = [[0.1, 0.5, 0.9]] * 6
    m = plane_metrics({"ixt": ixt, "ity": ity}, n_samples=16, epochs=[0, 1, 100])
    assert m["pinned"] == [1, 2] and m["n_free_hidden"] == 3
    assert m["ixt_hidden_free"] == ixt[2:5]
    assert m["ity_fit_rise"] == pytest.approx(0.4)  # max over epochs <= 10 minus epoch 0


def test_step_detector_accepts_a_step_and_rejects_a_drift():
    epochs = np.unique(np.round(np.logspace(0, 4, 60)).astype(int))
    step = np.where(epochs < 300, 10.0, 0.1)
    st = step_of(epochs, step)
    assert st["drop"] == pytest.approx(2.0)
    assert st["width"] < 0.2 and st["early_plateau"] > 2 and st["late_plateau"] > 1
    drift = 10 ** (1 - 0.5 * np.log10(epochs))  # falls 2 decades steadily over 4 decades
    assert step_of(epochs, drift)["width"] > 1.0
    assert step_of(epochs, np.ones(len(epochs)))["width"] == NO_STEP


def test_plane_distance_and_steps_per_epoch():
    a = {"ixt": {"layer1": [0, 1], "layer2": [0, 0]}, "ity": {"layer1": [0, 0], "layer2": [0, 0]}}
    b = {"ixt": {"layer1": [3, 1], "layer2": [9, 9]}, "ity": {"layer1": [4, 0], "layer2": [0, 0]}}
    assert plane_distance(a, b) == pytest.approx(2.5)  # output layer2 left out
    assert steps_per_epoch(3277, 32) == 103 and steps_per_epoch(3277, 0) == 1
