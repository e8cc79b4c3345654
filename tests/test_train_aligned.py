"""Per-model vector alignment of element-wise functions (ibcore.train.aligned)."""

import pytest
import torch
import torch.nn.functional as F

from ibcore.train.aligned import ALIGN, per_model


@pytest.mark.parametrize("fn", [torch.sigmoid, F.softplus, torch.exp])
def test_slice_of_a_block_is_bitwise_the_slice_alone(fn):
    g = torch.Generator().manual_seed(0)
    block = torch.randn(40, 7, 9, generator=g) * 4  # 63 elements per model: never aligned
    out = per_model(fn, block)
    for k in range(40):
        assert torch.equal(out[k], per_model(fn, block[k : k + 1])[0])
    torch.testing.assert_close(out, fn(block))  # the same function, up to rounding


def test_shape_and_two_argument_functions():
    a, b = torch.randn(3, 5, 2), torch.rand(3, 5, 2)
    out = per_model(lambda u, v: F.binary_cross_entropy_with_logits(u, v, reduction="none"), a, b)
    assert out.shape == a.shape
    torch.testing.assert_close(out, F.binary_cross_entropy_with_logits(a, b, reduction="none"))
    aligned = torch.randn(2, ALIGN)
    assert torch.equal(per_model(torch.sigmoid, aligned), torch.sigmoid(aligned))


def test_gradients_flow_through_the_padding():
    a = torch.randn(2, 3, 5, requires_grad=True)
    per_model(torch.sigmoid, a).sum().backward()
    s = torch.sigmoid(a.detach())
    torch.testing.assert_close(a.grad, s * (1 - s))
