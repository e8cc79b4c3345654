"""MNIST snapshot loop of gupta2021 (replications/gupta2021/training.py)."""

import numpy as np
import torch

from replications.gupta2021.training import log_steps, train_with_snapshots

CFG = {
    "width": 8, "activation": "relu", "lr": 0.003, "batch_size": 6000, "epochs": 2,
    "points_per_epoch": 2, "n_probe": 300,
}


def _snapshots(seed: int):
    return list(train_with_snapshots(CFG, torch.Generator().manual_seed(seed)))


def test_snapshot_schedule_shapes_and_progress():
    snaps = _snapshots(0)
    per_epoch = log_steps(10, CFG["points_per_epoch"])  # 60,000 / 6,000 = 10 steps
    assert len(snaps) == 1 + CFG["epochs"] * len(per_epoch)
    assert [s.step for s in snaps] == [0, 3, 10, 13, 20]
    assert [s.end_of_epoch for s in snaps] == [True, False, True, False, True]
    assert snaps[-1].epoch == 2.0
    assert [h.shape for h in snaps[0].hidden] == [(300, 8), (300, 20), (300, 20), (300, 20)]
    # ReLU activity is non-negative, and training helps
    assert all((h >= 0).all() for h in snaps[-1].hidden)
    assert snaps[-1].train_accuracy > snaps[0].train_accuracy + 0.1  # 20 steps of Adam


def test_same_seed_same_activations_other_seed_differs():
    a, b, c = _snapshots(1), _snapshots(1), _snapshots(2)
    for sa, sb in zip(a, b):
        for ha, hb in zip(sa.hidden, sb.hidden):
            np.testing.assert_array_equal(ha, hb)
    assert not np.array_equal(a[-1].hidden[1], c[-1].hidden[1])
