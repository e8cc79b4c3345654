"""Saxe et al. 12-bit-task helpers: loss, split, subsets and claim groupings."""

import numpy as np
import pytest
import torch

from replications.saxe2018.szt_experiment import BINNING, kde_subset, plane_metrics
from replications.saxe2018.szt_training import sigmoid_output_loss, split


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
    """A block of seeds on the shared trainer gives each seed's single-run numbers, bitwise."""
    from replications.saxe2018.szt_training import train_szt_seeds

    cfg = {"activation": "relu", "train_frac": 0.8, "n_epochs": 6, "n_log": 3,
           "batch_size": 256, "optimizer": "adam", "lr": 4e-3, "record_snr": True}
    block = train_szt_seeds(cfg, [4, 9])
    alone = train_szt_seeds(cfg, [9])[0]
    rec, idx = block[1]
    np.testing.assert_array_equal(idx, alone[1])
    assert rec.train_error == alone[0].train_error and rec.snr == alone[0].snr
    for a, b in zip(rec.acts[-1], alone[0].acts[-1]):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(block[0][0].acts[-1][0], rec.acts[-1][0])  # seeds differ
    assert not np.array_equal(rec.acts[0][0], rec.acts[-1][0])  # it trained
