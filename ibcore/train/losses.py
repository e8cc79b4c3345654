"""Per-model losses for stacked training: logits (M, B, C), labels (M, B) → (M,).

Each model's loss is the mean over its own batch; the trainer sums the M losses before the
backward pass, so ∂(Σ_j L_j)/∂θ_k = ∂L_k/∂θ_k and model k's gradient is that of training it
alone.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from ibcore.train.aligned import per_model

PerModelLoss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Softmax cross-entropy, averaged over each model's batch."""
    per_sample = F.cross_entropy(logits.transpose(1, 2), y, reduction="none")  # (M, B)
    return per_sample.mean(dim=-1)


def sigmoid_bce(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Independent sigmoid output units against the one-hot label: binary cross-entropy
    summed over the units and averaged over the batch (one value per leading index).

    Works for logits (B, C) → scalar as well as (M, B, C) → (M,).
    """
    # a comparison instead of F.one_hot: one_hot is not supported inside torch.func.vmap
    target = (y.unsqueeze(-1) == torch.arange(logits.shape[-1], device=y.device)).to(logits.dtype)
    if logits.dim() == 3:  # stacked: exp-based, so each model's slice is vector-aligned
        per_unit = per_model(_bce, logits, target)
    else:
        per_unit = _bce(logits, target)
    return per_unit.sum(dim=-1).mean(dim=-1)


def _bce(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, target, reduction="none")


LOSSES: dict[str, PerModelLoss] = {"cross_entropy": cross_entropy, "sigmoid_bce": sigmoid_bce}
