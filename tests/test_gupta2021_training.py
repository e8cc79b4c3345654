"""MNIST training of gupta2021 on the shared batched trainer (gupta2021/training.py)."""

import numpy as np
import torch

from ibcore.context import RunContext
from replications.gupta2021.training import INIT_SD, train_with_snapshots, trunc_normal_mlp

CFG = {
    "width": 8, "activation": "relu", "lr": 0.003, "batch_size": 1000, "epochs": 2,
    "n_probe": 300, "probe": "train", "init": "trunc_normal", "loss_scale": 100.0,
}


def _snapshots(seed: int, **over):
    return train_with_snapshots(CFG | over, RunContext(seed=seed))


def test_snapshots_at_init_and_every_epoch_end():
    snaps = _snapshots(0)
    assert [s.epoch for s in snaps] == [0, 1, 2]
    assert [h.shape for h in snaps[0].hidden] == [(300, 8), (300, 20), (300, 20), (300, 20)]
    assert all((h >= 0).all() for h in snaps[-1].hidden)  # ReLU activity
    assert snaps[-1].train_accuracy > snaps[0].train_accuracy + 0.1  # 120 steps of Adam


def test_same_seed_same_activations_other_seed_differs():
    a, b, c = _snapshots(1), _snapshots(1), _snapshots(2)
    for sa, sb in zip(a, b):
        for ha, hb in zip(sa.hidden, sb.hidden):
            np.testing.assert_array_equal(ha, hb)
    assert not np.array_equal(a[-1].hidden[1], c[-1].hidden[1])


def test_truncated_normal_init_bounds_and_zero_bias():
    net = trunc_normal_mlp([784, 64, 10], "tanh", torch.Generator().manual_seed(0))
    w = net.weights[0].detach()
    assert w.abs().max() <= 2 * INIT_SD + 1e-7
    assert abs(float(w.std()) - 0.088) < 0.01  # sd of N(0, 0.1²) truncated at 2 sd
    assert all(float(b.detach().abs().max()) == 0.0 for b in net.biases)


def test_torch_init_differs_from_truncated_normal():
    a = _snapshots(3)[0].hidden[0]
    b = _snapshots(3, init="torch")[0].hidden[0]
    assert not np.array_equal(a, b)
