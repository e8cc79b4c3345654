"""Seeded minibatch iteration and evaluation helpers shared by the training loops."""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import nn


def minibatches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Indices of one epoch in shuffled minibatches; the order depends only on `generator`.

    A `batch_size` ≥ n (or ≤ 0) gives one full batch, i.e. full-batch gradient descent.
    """
    if batch_size <= 0 or batch_size >= n:
        yield torch.arange(n)
        return
    order = torch.randperm(n, generator=generator)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


@torch.no_grad()
def error_rate(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 10000
) -> float:
    """Fraction of misclassified samples (argmax of the logits), evaluated in eval mode."""
    was_training = model.training
    model.eval()
    wrong = 0
    for start in range(0, len(x), batch_size):
        logits = model(x[start : start + batch_size])
        wrong += (logits.argmax(dim=1) != y[start : start + batch_size]).sum().item()
    model.train(was_training)
    return wrong / len(x)
