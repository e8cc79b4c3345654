"""Element-wise functions computed bit-for-bit alike for a model alone and inside a stack.

PyTorch's CPU element-wise kernels run a SIMD loop over chunks of 2 × (vector width) elements
and a scalar loop over the remainder. For `exp`-based functions (sigmoid, softplus, the
binary cross-entropy with logits) the two loops can round differently in the last bit: measured
here, a few elements in 10⁴ differ. Which elements fall in the remainder depends on the total
size of the tensor, so a model's slice of an (M, …) stack could be rounded differently from the
same model alone, and training amplifies a 1-ulp difference. `per_model` pads every model's
slice to a multiple of `ALIGN` elements, so that every element goes through the SIMD loop
whatever M is, applies the function, and drops the padding.

`ALIGN` = 64 floats covers 2 × 16 (AVX-512) and 2 × 8 (AVX2). Functions that are exactly
rounded in both loops (ReLU, softsign, tanh in PyTorch 2.x, add, mul, div, sqrt, lerp,
addcmul) do not need it; `tests/test_train_batched.py` checks the grouping-invariance this
gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

ALIGN = 64


def per_model(fn: Callable[..., torch.Tensor], *tensors: torch.Tensor) -> torch.Tensor:
    """``fn(*tensors)`` for same-shaped (M, …) tensors, each model's slice vector-aligned."""
    shape = tensors[0].shape
    m, size = shape[0], math.prod(shape[1:])
    pad = (-size) % ALIGN
    if pad == 0:
        return fn(*tensors)
    padded = [F.pad(t.reshape(m, size), (0, pad)) for t in tensors]
    return fn(*padded)[:, :size].reshape(shape)
