"""WRN-40-2 (the paper-profile CIFAR-10 teacher) on random tensors."""

import torch

from ibcore.nn.wrn import WideResNet, wrn_40_2


def test_wrn_40_2_shapes_and_size():
    torch.manual_seed(0)
    net = wrn_40_2()
    logits, feats = net.forward_with_features(torch.randn(2, 3, 32, 32))
    assert logits.shape == (2, 10)
    assert [f.shape[1:] for f in feats] == [(32, 32, 32), (64, 16, 16), (128, 8, 8)]
    n_params = sum(p.numel() for p in net.parameters())
    assert 2.1e6 < n_params < 2.4e6  # WRN-40-2 has ≈ 2.2 M parameters (Zagoruyko & Komodakis)


def test_wrn_backward_reaches_stem():
    net = WideResNet(10, 1)
    net(torch.randn(2, 3, 32, 32)).sum().backward()
    assert net.stem.weight.grad.abs().sum() > 0


def test_wrn_rejects_bad_depth():
    import pytest

    with pytest.raises(ValueError):
        WideResNet(12, 1)
