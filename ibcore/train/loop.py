"""Seeded minibatches, evaluation and the plain one-model training loop.

The loop is for networks that do not fit `StackedMLP` (convolutional or wide-residual
teachers, models with their own modules); same-shaped MLPs train faster together with
`ibcore.train.fit_stacked`. Both draw minibatches the same way (`epoch_order`), so one model
trained by either sees the same sequence of batches for the same generator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import torch
from torch import nn

LossFn = Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor]


def epoch_order(n: int, batch_size: int, generator: torch.Generator) -> torch.Tensor | None:
    """The shuffled order of one epoch, or None for full-batch training (no shuffle needed).

    A `batch_size` ≥ n (or ≤ 0) means one full batch, i.e. full-batch gradient descent; then
    no random number is drawn from `generator`.
    """
    if batch_size <= 0 or batch_size >= n:
        return None
    return torch.randperm(n, generator=generator)


def minibatches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Indices of one epoch in shuffled minibatches; the order depends only on `generator`.

    A `batch_size` ≥ n (or ≤ 0) gives one full batch, i.e. full-batch gradient descent.
    """
    order = epoch_order(n, batch_size, generator)
    if order is None:
        yield torch.arange(n)
        return
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


def train_epoch(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss_fn: LossFn,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    generator: torch.Generator,
) -> None:
    """One pass over (x, y) in seeded minibatches; `loss_fn(model, xb, yb)` → scalar."""
    for idx in minibatches(len(x), batch_size, generator):
        opt.zero_grad(set_to_none=True)
        loss_fn(model, x[idx], y[idx]).backward()
        opt.step()


def fit(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss_fn: LossFn,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    n_epochs: int,
    batch_size: int,
    generator: torch.Generator,
    hook: Callable[[int, nn.Module], None] | None = None,
    hook_epochs: Iterable[int] = (),
    progress: Callable[..., Iterable[int]] | None = None,
) -> None:
    """Train one model for `n_epochs`; `hook(epoch, model)` runs before the epochs listed
    (0 = the initialisation, `n_epochs` = after the last). x and y must be on the model's device.
    """
    hooks = set(hook_epochs)
    epochs = range(n_epochs + 1)
    for epoch in progress(epochs) if progress is not None else epochs:
        if hook is not None and epoch in hooks:
            hook(epoch, model)
        if epoch == n_epochs:
            break
        train_epoch(model, opt, loss_fn, x, y, batch_size, generator)
