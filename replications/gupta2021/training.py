"""MNIST training with activation snapshots at epoch ends, on the shared batched trainer.

Network and optimiser of the EDGE authors' information-plane code (Noshad, Zeng & Hero 2019,
Sec. 6, Fig. 5; ``information_plane/main.py`` of github.com/mrtnoshad/EDGE): 784-W-20-20-20-10
with W = 1024, tanh (or ReLU) hidden units, weights drawn from a normal of sd 0.1 truncated at
two sd and zero biases (``init = "trunc_normal"``), Adam with learning rate 0.003, batch 128, on
the 60,000 training images, loss 100 x the mean softmax cross-entropy. ``init = "torch"`` keeps
PyTorch's default initialisation instead. The first-layer width is a config key (the quick
profile narrows it; README, Deviations).

Snapshots: `ibcore.train.fit_stacked` calls its hook at every epoch end (and at epoch 0, the
initialisation); the hook runs the probe images through the network and records every hidden
layer's activity. The probe set is ``probe = "train"`` (the first ``n_probe`` *training*
images, as the authors' code) or ``"test"`` (the first ``n_probe`` test images).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.evaluate import activations, error_rates
from ibcore.train.losses import cross_entropy

#: sd of the authors' truncated-normal weights (tf.truncated_normal(stddev=0.1))
INIT_SD = 0.1


@dataclass
class Snapshot:
    """The network's activity on the probe set at the end of epoch ``epoch`` (0 = init)."""

    epoch: int
    hidden: list[np.ndarray]  # float32 (n_probe, width) per hidden layer
    test_accuracy: float
    train_accuracy: float


def widths(cfg: dict[str, Any]) -> list[int]:
    """784-W-20-20-20-10 with W = cfg["width"] (1024 in the paper)."""
    return [784, int(cfg["width"]), 20, 20, 20, 10]


def trunc_normal_mlp(sizes: list[int], act: str, gen: torch.Generator) -> StackedMLP:
    """One stacked model, weights N(0, 0.1²) truncated at ±2 sd (TensorFlow's rule), biases 0."""
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = torch.empty(1, n_in, n_out)
        torch.nn.init.trunc_normal_(w, std=INIT_SD, a=-2 * INIT_SD, b=2 * INIT_SD, generator=gen)
        weights.append(w)
        biases.append(torch.zeros(1, 1, n_out))
    return StackedMLP(weights, biases, act)


def scaled_cross_entropy(scale: float):
    """scale x mean cross-entropy per model (the authors multiply by 100)."""

    def loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return scale * cross_entropy(logits, y)

    return loss


def train_with_snapshots(cfg: dict[str, Any], ctx: RunContext) -> list[Snapshot]:
    """Train one network (the run's seed); a :class:`Snapshot` at init and every epoch end."""
    data = mnist()
    x_train, y_train = torch.from_numpy(data.train_x), torch.from_numpy(data.train_y)
    x_test, y_test = torch.from_numpy(data.test_x), torch.from_numpy(data.test_y)
    n = int(cfg["n_probe"])
    x_probe = (x_train if cfg["probe"] == "train" else x_test)[:n]
    sizes = widths(cfg)
    if cfg["init"] == "trunc_normal":
        model = trunc_normal_mlp(sizes, cfg["activation"], ctx.torch_generator(5))
    else:
        model = StackedMLP.torch_default(sizes, cfg["activation"], [ctx.seed])
    snaps: list[Snapshot] = []

    def hook(epoch: int, m: StackedMLP) -> None:
        acts = activations(m, x_probe)
        snaps.append(Snapshot(
            epoch=epoch,
            hidden=[a[0].numpy().copy() for a in acts[:-1]],
            test_accuracy=1.0 - float(error_rates(m, x_test, y_test)[0]),
            train_accuracy=1.0 - float(error_rates(m, x_train[:n], y_train[:n])[0]),
        ))

    sched = Schedule(n_epochs=int(cfg["epochs"]), batch_size=int(cfg["batch_size"]),
                     optimizer="adam", lr=float(cfg["lr"]),
                     loss=scaled_cross_entropy(float(cfg["loss_scale"])))
    fit_stacked(model, x_train, y_train, sched, [ctx.torch_generator(4)], hook=hook,
                hook_epochs=range(int(cfg["epochs"]) + 1),
                progress=lambda it: ctx.progress(it, desc=f"{cfg['activation']} training"))
    return snaps
