"""Train M same-shaped MLPs at once: own init, own minibatch order, own hyper-parameters.

Each optimisation step gathers one minibatch per model (model k's indices come from its own
`torch.Generator`, exactly as `minibatches(n, batch_size, generators[k])` would give them),
runs the stacked forward pass (`StackedMLP`, one `bmm` per layer), adds the per-model data
loss and any per-model extra term (the `extra_loss` callback: KL of Bayesian layers, NSR,
distillation …), sums over models, back-propagates once and steps a stacked optimiser whose
lr / weight decay / momentum may differ per model. At the epochs listed in `hook_epochs`
(0 = the initialisation, `n_epochs` = the end) `hook(epoch, model)` is called first; use
`ibcore.train.evaluate` there for activations, error rates and losses of all models.

Determinism. Model k's numbers are a function of its own initial weights, its generator and its
hyper-parameters only, and they are bitwise identical whether it is trained alone (M = 1) or
inside a block of any M models, provided `extra_loss` computes model k's term from model k's
slices only (a term coupling models, e.g. one model distilling another, is outside this
guarantee). Why: the losses are summed (so ∂/∂θ_k sees only L_k); on CPU
`torch.bmm` computes each model's slice with the same kernel whatever M is; the optimisers
are element-wise; and the `exp`-based element-wise functions, whose SIMD and scalar loops
round differently, run on vector-aligned per-model slices (`ibcore.train.aligned`).
`tests/test_train_batched.py` checks this bitwise (no tolerance) for every activation, SGD with
momentum and weight decay, Adam and full-batch GD; 60-epoch runs of the 12-bit task at M = 5
were bitwise equal too. It is a property of the kernels measured here (PyTorch 2.x, CPU, one
thread), not of the mathematics: with several threads (work split by total size), another BLAS
or CUDA it may not hold. A caller that groups runs must therefore fix the grouping in its
config and record it with the results (e.g. a `block_size` in the run key), and re-run that
test on a new platform before relying on grouping-invariance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import torch

from ibcore.train.loop import epoch_order
from ibcore.train.losses import LOSSES, PerModelLoss
from ibcore.train.optim import make_optimizer
from ibcore.train.stacked import StackedMLP


@dataclass
class Step:
    """What a per-model extra loss sees at one optimisation step (all tensors lead with M)."""

    model: StackedMLP
    epoch: int
    idx: torch.Tensor  # (M, B) indices into the training data
    x: torch.Tensor  # (M, B, n_in); a reused buffer, valid during this step only
    y: torch.Tensor  # (M, B)
    logits: torch.Tensor  # (M, B, n_out)
    acts: list[torch.Tensor]  # every layer's activity, (M, B, width)


ExtraLoss = Callable[[Step], torch.Tensor]  # → (M,), added to each model's data loss
Hook = Callable[[int, StackedMLP], None]
Progress = Callable[..., Iterable[int]]


@dataclass
class Schedule:
    """How to train: optimiser and its (scalar or per-model) hyper-parameters, batches, epochs.

    `batch_size` ≤ 0 (or ≥ the training-set size) is full-batch gradient descent. `loss` is a
    name in `ibcore.train.losses.LOSSES` or a per-model loss (logits, y) → (M,).
    """

    n_epochs: int
    batch_size: int
    optimizer: str = "sgd"
    lr: float | Sequence[float] = 0.1
    weight_decay: float | Sequence[float] = 0.0
    momentum: float | Sequence[float] = 0.0
    loss: str | PerModelLoss = "cross_entropy"

    def loss_fn(self) -> PerModelLoss:
        return LOSSES[self.loss] if isinstance(self.loss, str) else self.loss


def stacked_minibatches(
    n: int, batch_size: int, generators: Sequence[torch.Generator]
) -> Iterator[torch.Tensor]:
    """(M, B) index batches of one epoch; row k is what `minibatches(n, batch_size, g_k)` gives."""
    orders = [epoch_order(n, batch_size, g) for g in generators]
    if orders[0] is None:  # full batch: every model sees all samples in order
        yield torch.arange(n).expand(len(generators), n)
        return
    order = torch.stack(orders)
    for start in range(0, n, batch_size):
        yield order[:, start : start + batch_size]


class _Gather:
    """Minibatch gather into a buffer reused across steps.

    A fresh (M·B, n_in) tensor per step is a new multi-megabyte allocation for MNIST stacks,
    which glibc serves with mmap and page faults: that cost as much as the first layer's
    matmul. `index_select` on the flat indices is also 4× faster than ``x[idx]`` for (M, B)
    indices. Safe for autograd: the batch is an input only, and each step's backward pass ends
    before the next gather overwrites it.
    """

    def __init__(self) -> None:
        self.buffers: dict[tuple[int, ...], torch.Tensor] = {}

    def __call__(
        self, x: torch.Tensor, y: torch.Tensor, idx: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        flat = idx.reshape(-1)
        shape = (flat.numel(), *x.shape[1:])
        buf = self.buffers.get(shape)
        if buf is None:
            buf = self.buffers[shape] = torch.empty(shape, dtype=x.dtype, device=x.device)
        torch.index_select(x, 0, flat, out=buf)
        return buf.view(*idx.shape, *x.shape[1:]), y.index_select(0, flat).view(idx.shape)


def fit_stacked(
    model: StackedMLP,
    x: torch.Tensor,
    y: torch.Tensor,
    schedule: Schedule,
    generators: Sequence[torch.Generator],
    *,
    subsets: torch.Tensor | None = None,
    extra_loss: ExtraLoss | None = None,
    hook: Hook | None = None,
    hook_epochs: Iterable[int] = (),
    progress: Progress | None = None,
) -> None:
    """Train `model` (M stacked MLPs) in place on (x, y).

    x: (N, n_in), y: (N,), shared data. `subsets` (M, n) optionally gives each model its own
    training indices into x (same size n for all, e.g. each seed's own train split); otherwise
    every model trains on all N samples. `generators[k]` orders model k's minibatches.
    """
    m = model.n_models
    if len(generators) != m:
        raise ValueError(f"need one generator per model: {len(generators)} for {m} models")
    device = model.weights[0].device
    x, y = x.to(device), y.to(device)
    if subsets is not None:
        subsets = subsets.to(device)
        if subsets.shape[0] != m:
            raise ValueError(f"subsets has {subsets.shape[0]} rows for {m} models")
    n = x.shape[0] if subsets is None else subsets.shape[1]
    opt = make_optimizer(
        schedule.optimizer,
        list(model.parameters()),
        schedule.lr,
        weight_decay=schedule.weight_decay,
        momentum=schedule.momentum,
    )
    loss_fn = schedule.loss_fn()
    gather = _Gather()
    hooks = set(hook_epochs)
    epochs = range(schedule.n_epochs + 1)
    for epoch in progress(epochs) if progress is not None else epochs:
        if hook is not None and epoch in hooks:
            hook(epoch, model)
        if epoch == schedule.n_epochs:
            break
        for local in stacked_minibatches(n, schedule.batch_size, generators):
            local = local.to(device)
            idx = local if subsets is None else torch.gather(subsets, 1, local)
            xb, yb = gather(x, y, idx)
            logits, acts = model.forward_with_activations(xb)
            loss = loss_fn(logits, yb)
            if extra_loss is not None:
                loss = loss + extra_loss(Step(model, epoch, idx, xb, yb, logits, acts))
            opt.zero_grad()
            loss.sum().backward()
            opt.step()
