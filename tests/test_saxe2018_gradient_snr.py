"""ibcore.gradient_snr: per-sample gradients and the SNR of Saxe et al. Eqs. 26-27."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ibcore.gradient_snr import gradient_moments, layer_snr, per_sample_grads, snr_log10_drop
from ibcore.nn.mlp import MLP


def _loss(out, y):
    return F.cross_entropy(out, y)


def test_per_sample_grads_match_a_loop():
    torch.manual_seed(0)
    model = MLP([4, 3, 2], "tanh")
    x, y = torch.randn(6, 4), torch.tensor([0, 1, 1, 0, 1, 0])
    grads = per_sample_grads(model, _loss, x, y)
    for i in range(6):
        model.zero_grad()
        _loss(model(x[i : i + 1]), y[i : i + 1]).backward()
        for name, p in model.named_parameters():
            assert torch.allclose(grads[name][i], p.grad, atol=1e-6)


def test_moments_of_known_gradients():
    g = torch.tensor([[1.0, 0.0], [3.0, 0.0]])  # mean (2, 0), std (1, 0)
    mean, std = gradient_moments({"w": g})["w"]
    assert mean == pytest.approx(2.0)
    assert std == pytest.approx(1.0)


def test_identical_samples_have_huge_snr():
    torch.manual_seed(0)
    model = MLP([3, 2, 2], "tanh")
    x = torch.ones(5, 3)
    y = torch.zeros(5, dtype=torch.long)
    out = layer_snr(model, _loss, x, y)
    assert len(out["snr"]) == 2  # two weight matrices
    assert min(out["snr"]) > 1e6


def test_snr_drop_in_decades():
    snr = np.array([[1.0, 1.0, 0.01, 0.01], [1.0, 1.0, 1.0, 1.0]])
    drop = snr_log10_drop(snr, late_frac=0.5)
    assert drop[0] == pytest.approx(2.0)
    assert drop[1] == pytest.approx(0.0)
