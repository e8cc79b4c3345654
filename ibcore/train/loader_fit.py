"""One model trained over a data loader (augmenting, streaming): the loader counterpart of
`ibcore.train.loop.fit`, for data sets that do not sit in memory as two tensors.

Each epoch puts the model in training mode, iterates `loader` (batches (x, y), moved to
`device`), takes one optimiser step on `loss_fn(model, x, y)` per batch, then steps the
optional learning-rate `scheduler` once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn

LossFn = Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor]


def fit_loader(model: nn.Module, opt: torch.optim.Optimizer, loss_fn: LossFn,
               loader: Iterable[tuple[torch.Tensor, torch.Tensor]], *, n_epochs: int,
               device: str | torch.device = "cpu",
               scheduler: torch.optim.lr_scheduler.LRScheduler | None = None) -> None:
    """Train `model` for `n_epochs` passes over `loader`."""
    for _ in range(n_epochs):
        model.train()
        for x, y in loader:
            opt.zero_grad(set_to_none=True)
            loss_fn(model, x.to(device), y.to(device)).backward()
            opt.step()
        if scheduler is not None:
            scheduler.step()
