"""Data preparation and the SGD training shared by the IBCI and NSR experiments.

Mao et al. (CIKM 2021, §4.1) and their code: MNIST pixels in [0, 1], ReLU MLPs, plain SGD with
lr 0.1, batch 100, cross-entropy; the test error is recorded after every epoch and the minimum
over epochs (and its epoch) is reported. Fu et al. (NeurIPS 2022, §5) use lr 0.01 and report the
test error at the epoch of the best validation error, with 10k training images held out.

Training runs on the shared batched trainer (`ibcore.train.fit_stacked`): `train` takes several
same-shaped models (e.g. every initialiser and method of one seed and depth) and trains them
together on the same minibatch order; each model's numbers are those it gets trained alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.nn.mlp import MLP
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.batched import ExtraLoss
from ibcore.train.evaluate import error_rates


@dataclass
class Split:
    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def load_split(n_train: int, n_val: int, n_test: int, rng: np.random.Generator) -> Split:
    """A seeded subset of MNIST: `n_train` (0 = all that is left) training images, `n_val`
    held out from the training set for validation, and the first `n_test` test images (0 = all).
    """
    d = mnist()
    order = rng.permutation(len(d.train_x))
    val_idx = order[:n_val]
    rest = order[n_val:]
    train_idx = rest if n_train <= 0 else rest[:n_train]
    n_test = len(d.test_x) if n_test <= 0 else n_test
    t = torch.from_numpy
    return Split(
        t(d.train_x[train_idx]), t(d.train_y[train_idx]),
        t(d.train_x[val_idx]), t(d.train_y[val_idx]),
        t(d.test_x[:n_test]), t(d.test_y[:n_test]),
    )


def train(
    models: Sequence[MLP],
    split: Split,
    epochs: int,
    lr: float,
    batch_size: int,
    ctx: RunContext,
    order_stream: int = 1,
    extra_loss: ExtraLoss | None = None,
) -> list[dict[str, list[float]]]:
    """Plain SGD with cross-entropy (+ `extra_loss`, e.g. `ibcore.nn.nsr.StackedNSRTerm`);
    per model, the test (and, if held out, validation) error in percent after every epoch.

    Every model draws its minibatch order from ``ctx.torch_generator(order_stream)`` (its own
    copy, so all models see the same order).
    """
    dev = ctx.device
    stack = StackedMLP.from_modules(list(models), "relu").to(dev)
    test_x, test_y = split.test_x.to(dev), split.test_y.to(dev)
    val_x, val_y = split.val_x.to(dev), split.val_y.to(dev)
    curves: list[dict[str, list[float]]] = [{"test": [], "val": []} for _ in models]

    def hook(epoch: int, m: StackedMLP) -> None:
        test = error_rates(m, test_x, test_y)
        val = error_rates(m, val_x, val_y) if len(val_x) else None
        for k, curve in enumerate(curves):
            curve["test"].append(100.0 * float(test[k]))
            if val is not None:
                curve["val"].append(100.0 * float(val[k]))

    sched = Schedule(n_epochs=epochs, batch_size=batch_size, optimizer="sgd", lr=lr)
    gens = [ctx.torch_generator(order_stream) for _ in models]
    fit_stacked(
        stack, split.train_x, split.train_y, sched, gens, extra_loss=extra_loss,
        hook=hook, hook_epochs=range(1, epochs + 1),
        progress=lambda it: ctx.progress(it, desc="epochs", total=epochs + 1),
    )
    return curves


def summarise(curve: list[float]) -> dict[str, float | int]:
    """Minimal test error over epochs and its (1-based) epoch, as Mao et al. Tables 1-2 report,
    and the number of epochs run (a minimum epoch is censored at it)."""
    best = int(np.argmin(curve))
    return {"min_error": float(curve[best]), "min_epoch": best + 1, "final_error": float(curve[-1]),
            "epochs": len(curve)}
