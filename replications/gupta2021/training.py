"""MNIST training with activation snapshots at log-spaced steps inside every epoch.

Network of the EDGE paper's information-plane experiment (Noshad, Zeng & Hero 2019,
Sec. 6, Fig. 5): 784-1024-20-20-20-10, tanh or ReLU, Adam with learning rate 0.003,
cross-entropy on the 60,000 training images. The width of the first hidden layer is a
config key (the quick profile narrows it; README, Deviations).

Snapshots: within an epoch of S steps the network is probed after steps round(S^(k/m)),
k = 1..m (log-spaced in the step index, the last one the end of the epoch), plus once at
initialisation. Each probe runs the fixed probe set (the 10,000 MNIST *test* images)
through the network and hands back every layer's activity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from ibcore.data import mnist
from ibcore.nn.mlp import MLP
from ibcore.train import minibatches


@dataclass
class Snapshot:
    """The network's activity on the probe set after ``step`` optimiser steps."""

    epoch: float  # fractional epoch, step / steps_per_epoch
    step: int
    end_of_epoch: bool
    hidden: list[np.ndarray]  # float32 (n_probe, width) per hidden layer
    test_accuracy: float
    train_accuracy: float


def log_steps(steps_per_epoch: int, points: int) -> list[int]:
    """Steps (1-based, within one epoch) log-spaced over [1, S]; always ends at S."""
    if points < 1 or steps_per_epoch < 1:
        raise ValueError(f"need points >= 1 and steps >= 1, got {points}, {steps_per_epoch}")
    k = np.arange(1, points + 1) / points
    return sorted({int(round(steps_per_epoch**f)) for f in k} | {steps_per_epoch})


@torch.no_grad()
def _accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    return float((logits.argmax(dim=1) == y).float().mean())


def widths(cfg: dict[str, Any]) -> list[int]:
    """784-W-20-20-20-10 with W = cfg["width"] (1024 in the paper)."""
    return [784, int(cfg["width"]), 20, 20, 20, 10]


def train_with_snapshots(cfg: dict[str, Any], seed_gen: torch.Generator) -> Iterator[Snapshot]:
    """Train one network; yield a :class:`Snapshot` at init and at every logged step."""
    data = mnist()
    x_train = torch.from_numpy(data.train_x)
    y_train = torch.from_numpy(data.train_y)
    x_probe = torch.from_numpy(data.test_x[: cfg["n_probe"]])
    y_probe = torch.from_numpy(data.test_y[: cfg["n_probe"]])
    # train accuracy on a fixed slice, so a probe costs one extra forward pass, not six
    x_tr_eval, y_tr_eval = x_train[: cfg["n_probe"]], y_train[: cfg["n_probe"]]

    torch.manual_seed(int(torch.randint(2**31, (1,), generator=seed_gen)))
    model = MLP(widths(cfg), act=cfg["activation"])
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    loss_fn = nn.CrossEntropyLoss()
    n = len(x_train)
    spe = -(-n // cfg["batch_size"])
    logged = set(log_steps(spe, cfg["points_per_epoch"]))

    @torch.no_grad()
    def probe(step: int) -> Snapshot:
        model.eval()
        logits, acts = model.forward_with_activations(x_probe)
        train_acc = _accuracy(model(x_tr_eval), y_tr_eval)
        model.train()
        return Snapshot(
            epoch=step / spe,
            step=step,
            end_of_epoch=step % spe == 0,
            hidden=[a.numpy().copy() for a in acts[:-1]],
            test_accuracy=_accuracy(logits, y_probe),
            train_accuracy=train_acc,
        )

    yield probe(0)
    step = 0
    for _ in range(cfg["epochs"]):
        for k, idx in enumerate(minibatches(n, cfg["batch_size"], seed_gen), start=1):
            opt.zero_grad()
            loss_fn(model(x_train[idx]), y_train[idx]).backward()
            opt.step()
            step += 1
            if k in logged:
                yield probe(step)
