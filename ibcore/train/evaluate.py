"""Evaluate M stacked models at once: activations, error rates, losses (hooks use these).

Data may be shared, x (N, n_in) / y (N,), or per model, x (M, N, n_in) / y (M, N). Large sets
are processed in chunks of `batch_size` samples so memory stays bounded.
"""

from __future__ import annotations

import torch

from ibcore.train.losses import PerModelLoss
from ibcore.train.stacked import StackedMLP


def _chunks(n: int, batch_size: int) -> range:
    return range(0, n, batch_size if batch_size > 0 else max(n, 1))


def _rows(t: torch.Tensor, start: int, stop: int, per_model: bool) -> torch.Tensor:
    return t[:, start:stop] if per_model else t[start:stop]


@torch.no_grad()
def activations(model: StackedMLP, x: torch.Tensor, batch_size: int = 8192) -> list[torch.Tensor]:
    """Every layer's activity on x, as `MLP.forward_with_activations`: [(M, N, width) …]."""
    per_model = x.dim() == 3
    parts: list[list[torch.Tensor]] = []
    for s in _chunks(x.shape[-2], batch_size):
        parts.append(model.forward_with_activations(_rows(x, s, s + batch_size, per_model))[1])
    return [torch.cat([p[i] for p in parts], dim=1) for i in range(len(parts[0]))]


@torch.no_grad()
def error_rates(
    model: StackedMLP, x: torch.Tensor, y: torch.Tensor, batch_size: int = 8192
) -> torch.Tensor:
    """Fraction of misclassified samples (argmax of the logits) per model: (M,) float64."""
    per_model = x.dim() == 3
    n = x.shape[-2]
    wrong = torch.zeros(model.n_models, dtype=torch.int64, device=x.device)
    for s in _chunks(n, batch_size):
        logits = model(_rows(x, s, s + batch_size, per_model))
        wrong += (logits.argmax(dim=-1) != _rows(y, s, s + batch_size, per_model)).sum(dim=-1)
    return wrong.double() / max(n, 1)


@torch.no_grad()
def losses(model: StackedMLP, x: torch.Tensor, y: torch.Tensor, loss: PerModelLoss) -> torch.Tensor:
    """Each model's loss on the whole of (x, y): (M,)."""
    yy = y if y.dim() == 2 else y.expand(model.n_models, *y.shape)
    return loss(model(x), yy)
