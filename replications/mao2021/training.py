"""Data preparation and the SGD training loop shared by the IBCI and NSR experiments.

Mao et al. (CIKM 2021, §4.1) and their code: MNIST pixels in [0, 1], ReLU MLPs, plain SGD with
lr 0.1, batch 100, cross-entropy; the test error is recorded after every epoch and the minimum
over epochs (and its epoch) is reported. Fu et al. (NeurIPS 2022, §5) use lr 0.01 and report the
test error at the epoch of the best validation error, with 10k training images held out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.nn.mlp import MLP
from ibcore.train import error_rate, minibatches


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


LossFn = Callable[[MLP, torch.Tensor, torch.Tensor], torch.Tensor]


def cross_entropy(model: MLP, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.cross_entropy(model(x), y)


def train(
    model: MLP,
    split: Split,
    epochs: int,
    lr: float,
    batch_size: int,
    generator: torch.Generator,
    ctx: RunContext,
    loss_fn: LossFn = cross_entropy,
) -> dict[str, list[float]]:
    """Plain SGD; returns per-epoch test (and, if held out, validation) error in percent."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    test_curve, val_curve = [], []
    n = len(split.train_x)
    for _ in ctx.progress(range(epochs), desc="epochs", total=epochs):
        for idx in minibatches(n, batch_size, generator):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model, split.train_x[idx], split.train_y[idx])
            loss.backward()
            opt.step()
        test_curve.append(100.0 * error_rate(model, split.test_x, split.test_y))
        if len(split.val_x):
            val_curve.append(100.0 * error_rate(model, split.val_x, split.val_y))
    return {"test": test_curve, "val": val_curve}


def summarise(curve: list[float]) -> dict[str, float | int]:
    """Minimal test error over epochs and its (1-based) epoch, as Mao et al. Tables 1-2 report,
    and the number of epochs run (a minimum epoch is censored at it)."""
    best = int(np.argmin(curve))
    return {"min_error": float(curve[best]), "min_epoch": best + 1, "final_error": float(curve[-1]),
            "epochs": len(curve)}
