"""Stacked SGD / Adam give each model the update `torch.optim` gives it alone."""

import pytest
import torch

from ibcore.train.optim import StackedAdam, StackedSGD, make_optimizer

M = 3
LRS = [0.1, 0.03, 0.005]
WDS = [0.0, 1e-2, 1e-3]


def _run_pair(make_stacked, make_reference, n_steps=6):
    """Apply the same random gradients to a stack and to M single-model copies."""
    gen = torch.Generator().manual_seed(0)
    w0 = torch.randn(M, 4, 3, generator=gen)
    b0 = torch.randn(M, 1, 3, generator=gen)
    w, b = torch.nn.Parameter(w0.clone()), torch.nn.Parameter(b0.clone())
    stacked = make_stacked([w, b])
    singles = [
        (torch.nn.Parameter(w0[k].clone()), torch.nn.Parameter(b0[k].clone())) for k in range(M)
    ]
    refs = [make_reference(list(p), k) for k, p in enumerate(singles)]
    for _ in range(n_steps):
        gw, gb = torch.randn(M, 4, 3, generator=gen), torch.randn(M, 1, 3, generator=gen)
        w.grad, b.grad = gw.clone(), gb.clone()
        stacked.step()
        for k, (sw, sb) in enumerate(singles):
            sw.grad, sb.grad = gw[k].clone(), gb[k].clone()
            refs[k].step()
    return (w, b), singles


def _assert_match(stack, singles):
    w, b = stack
    for k, (sw, sb) in enumerate(singles):
        torch.testing.assert_close(w[k], sw, rtol=1e-6, atol=1e-7)
        torch.testing.assert_close(b[k], sb, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_matches_torch_per_model(momentum):
    stack, singles = _run_pair(
        lambda p: StackedSGD(p, LRS, momentum=momentum, weight_decay=WDS),
        lambda p, k: torch.optim.SGD(p, lr=LRS[k], momentum=momentum, weight_decay=WDS[k]),
    )
    _assert_match(stack, singles)


def test_adam_matches_torch_per_model():
    stack, singles = _run_pair(
        lambda p: StackedAdam(p, LRS, weight_decay=WDS),
        lambda p, k: torch.optim.Adam(p, lr=LRS[k], weight_decay=WDS[k]),
    )
    _assert_match(stack, singles)


def test_per_model_momentum():
    mom = [0.0, 0.5, 0.9]
    stack, singles = _run_pair(
        lambda p: StackedSGD(p, 0.1, momentum=mom),
        lambda p, k: torch.optim.SGD(p, lr=0.1, momentum=mom[k]),
    )
    _assert_match(stack, singles)


def test_hyper_parameter_count_is_checked():
    p = [torch.nn.Parameter(torch.zeros(3, 2, 2))]
    with pytest.raises(ValueError, match="3 values"):
        StackedSGD(p, [0.1, 0.2])
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("rmsprop", p, 0.1)
