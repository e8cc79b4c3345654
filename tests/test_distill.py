"""Each knowledge-transfer loss: zero where student = teacher makes it zero, gradients flow."""

import math

import pytest
import torch

from ibcore.nn.distill import ATLoss, FitNetLoss, KDLoss, NSTLoss, VIDLoss, attention_map


def _map(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def test_kd_zero_for_equal_logits_and_shift_invariant():
    t = _map(8, 10)
    assert KDLoss(4.0)(t, t).item() == pytest.approx(0.0, abs=1e-6)
    assert KDLoss(4.0)(t + 3.0, t).item() == pytest.approx(0.0, abs=1e-5)
    assert KDLoss(4.0)(_map(8, 10, seed=1), t).item() > 0.01


def test_fitnet_identity_zero_and_regressor_shapes():
    t = _map(4, 6, 7, 7)
    assert FitNetLoss(6, 6, conv=True, identity=True)(t, t).item() == 0.0
    loss = FitNetLoss(3, 6, conv=True, hidden=5)(_map(4, 3, 7, 7, seed=1), t)
    assert loss.item() > 0 and loss.dim() == 0
    # a vector student regressed onto a flattened teacher map
    assert FitNetLoss(20, 6 * 49, conv=False)(_map(4, 20), t).item() > 0


def test_attention_transfer_zero_for_equal_maps_even_if_channels_differ():
    t = _map(4, 6, 7, 7)
    assert ATLoss()(t, t).item() == pytest.approx(0.0, abs=1e-7)
    # duplicating channels leaves the channel-mean attention map unchanged
    assert ATLoss()(torch.cat([t, t], dim=1), t).item() == pytest.approx(0.0, abs=1e-7)
    # pooling a larger student map to the teacher's size
    assert ATLoss()(_map(4, 3, 14, 14, seed=2), t).item() > 0
    a = attention_map(t)
    assert torch.allclose(a.norm(dim=1), torch.ones(4))


def test_nst_zero_for_equal_maps_and_positive_otherwise():
    t = _map(4, 6, 7, 7)
    assert NSTLoss()(t, t).item() == pytest.approx(0.0, abs=1e-6)
    assert NSTLoss()(_map(4, 9, 7, 7, seed=3), t).item() > 1e-4


@pytest.mark.parametrize(
    "make, s_shape",
    [
        (lambda: KDLoss(), (4, 10)),
        (lambda: FitNetLoss(3, 6, conv=True), (4, 3, 7, 7)),
        (lambda: ATLoss(), (4, 3, 7, 7)),
        (lambda: NSTLoss(), (4, 3, 7, 7)),
        (lambda: VIDLoss(3, 6, conv=True, hidden=4), (4, 3, 7, 7)),
    ],
)
def test_gradients_reach_student_and_loss_parameters(make, s_shape):
    loss_fn = make()
    s = _map(*s_shape, seed=4).requires_grad_(True)
    t = _map(4, 10) if len(s_shape) == 2 else _map(4, 6, 7, 7)
    loss_fn(s, t).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0
    for p in loss_fn.parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all()


def test_vid_variance_init_and_nll_value():
    vid = VIDLoss(5, 5, conv=False, init_var=5.0)
    assert torch.allclose(vid.variance(), torch.full((5,), 5.0))
    with torch.no_grad():
        vid.regressor.weight.copy_(torch.eye(5))
        vid.regressor.bias.zero_()
    t = _map(16, 5)
    expected = 0.5 * (math.log(5.0) + math.log(2 * math.pi))
    assert vid(t, t).item() == pytest.approx(expected, rel=1e-5)


def test_vid_bound_does_not_exceed_true_mutual_information():
    # t = s + N(0, 0.5²): I(t; s) = ½ ln(1 + 1/0.25) nats; H(t) − NLL is a lower bound on it.
    g = torch.Generator().manual_seed(0)
    s = torch.randn(4000, 1, generator=g)
    t = s + 0.5 * torch.randn(4000, 1, generator=g)
    torch.manual_seed(0)
    vid = VIDLoss(1, 1, conv=False, init_var=1.0)
    opt = torch.optim.Adam(vid.parameters(), lr=0.05)
    for _ in range(300):
        opt.zero_grad()
        loss = vid(s, t)
        loss.backward()
        opt.step()
    h_t = 0.5 * math.log(2 * math.pi * math.e * 1.25)
    bound = h_t - vid(s, t).item()
    true_mi = 0.5 * math.log(1 + 1 / 0.25)
    assert bound <= true_mi + 0.02
    assert bound > true_mi - 0.05  # a linear Gaussian φ is the true posterior here
