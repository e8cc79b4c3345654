"""Train the Shwartz-Ziv & Tishby network on the 12-bit task and record every layer.

Saxe et al. (ICLR 2018), §2 and App. A: the 12-10-7-5-4-3-2 network of Shwartz-Ziv & Tishby
(2017), hidden layers with one nonlinearity, an output layer of two sigmoid units (Fig. 1
caption), trained on a seeded split of the 4096 patterns. At log-spaced epochs we record the
activity of every layer on all 4096 inputs, the train/test error, each layer's weight norm and
(optionally) the per-sample gradient signal-to-noise ratio (App. I, Eqs. 26–27).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from ibcore.context import RunContext
from ibcore.data import szt
from ibcore.gradient_snr import layer_snr
from ibcore.infoplane import log_epochs
from ibcore.nn.mlp import MLP
from ibcore.train import error_rate, minibatches

WIDTHS = [12, 10, 7, 5, 4, 3, 2]


def sigmoid_output_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of two independent sigmoid output units against the one-hot label.

    The paper's output layer is two sigmoid neurons (Fig. 1 caption), not a softmax.
    """
    # a comparison instead of F.one_hot: one_hot is not supported inside torch.func.vmap
    target = (y.unsqueeze(-1) == torch.arange(logits.shape[-1])).to(logits.dtype)
    # summed over output units, averaged over samples: one unit's loss does not shrink as
    # the number of classes grows
    per_unit = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    return per_unit.sum(dim=-1).mean()


@dataclass
class TrainingRecord:
    """What one training run leaves behind, per logged epoch."""

    epochs: list[int]
    acts: list[list[np.ndarray]] = field(default_factory=list)  # [epoch][layer] (4096, width)
    train_error: list[float] = field(default_factory=list)
    test_error: list[float] = field(default_factory=list)
    weight_norm: list[list[float]] = field(default_factory=list)  # [epoch][layer]
    snr: list[dict[str, list[float]]] = field(default_factory=list)  # [epoch] {mean,std,snr}


def split(n: int, train_frac: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random split of `n` indices into train and test parts."""
    order = rng.permutation(n)
    n_train = int(round(train_frac * n))
    return np.sort(order[:n_train]), np.sort(order[n_train:])


def layer_activity(model: MLP, x: torch.Tensor) -> list[np.ndarray]:
    """Activity of every layer on `x`; the output layer after its sigmoid."""
    with torch.no_grad():
        _, acts = model.forward_with_activations(x)
    acts[-1] = torch.sigmoid(acts[-1])
    return [a.numpy().astype(np.float64) for a in acts]


def make_optimizer(model: MLP, name: str, lr: float) -> torch.optim.Optimizer:
    """"adam" (the authors' code) or "sgd" (plain gradient descent, the paper's wording)."""
    table = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
    return table[name](model.parameters(), lr=lr)


def train_szt(cfg: dict, ctx: RunContext) -> tuple[TrainingRecord, np.ndarray, np.ndarray]:
    """Train once; return the record and the full-data labels and train indices.

    Config keys: activation, train_frac, n_epochs, n_log, batch_size (0 = full batch),
    optimizer, lr, record_snr.
    """
    x_np, y_np = szt()
    train_idx, test_idx = split(len(x_np), cfg["train_frac"], ctx.numpy_rng(1))
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    xtr, ytr, xte, yte = x[train_idx], y[train_idx], x[test_idx], y[test_idx]

    torch.manual_seed(ctx.seed)  # initialisation; the runner has seeded torch already
    model = MLP(WIDTHS, cfg["activation"])
    opt = make_optimizer(model, cfg["optimizer"], cfg["lr"])
    gen = ctx.torch_generator(2)
    logged = log_epochs(cfg["n_epochs"], cfg["n_log"])
    rec = TrainingRecord(epochs=logged)
    log_set = set(logged)

    for epoch in ctx.progress(range(cfg["n_epochs"] + 1), desc=cfg["activation"]):
        if epoch in log_set:
            _log_state(rec, model, x, xtr, ytr, xte, yte, cfg["record_snr"])
        if epoch == cfg["n_epochs"]:
            break
        train_epoch(model, opt, xtr, ytr, cfg["batch_size"], gen)
    return rec, y_np, train_idx


def train_epoch(
    model: MLP,
    opt: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    gen: torch.Generator,
) -> None:
    """One pass over (x, y) in seeded minibatches (batch_size 0: one full batch)."""
    for idx in minibatches(len(x), batch_size, gen):
        opt.zero_grad(set_to_none=True)
        sigmoid_output_loss(model(x[idx]), y[idx]).backward()
        opt.step()


def _log_state(
    rec: TrainingRecord,
    model: MLP,
    x_all: torch.Tensor,
    xtr: torch.Tensor,
    ytr: torch.Tensor,
    xte: torch.Tensor,
    yte: torch.Tensor,
    record_snr: bool,
) -> None:
    rec.acts.append(layer_activity(model, x_all))
    rec.train_error.append(error_rate(model, xtr, ytr))
    rec.test_error.append(error_rate(model, xte, yte) if len(xte) else 0.0)
    rec.weight_norm.append([float(layer.weight.detach().norm()) for layer in model.layers])
    if record_snr:
        rec.snr.append(layer_snr(model, sigmoid_output_loss, xtr, ytr))
