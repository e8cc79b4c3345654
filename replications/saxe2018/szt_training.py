"""Train the Shwartz-Ziv & Tishby network on the 12-bit task and record every layer.

Saxe et al. (ICLR 2018), §2 and App. A: the 12-10-7-5-4-3-2 network of Shwartz-Ziv & Tishby
(2017), hidden layers with one nonlinearity, an output layer of two sigmoid units (Fig. 1
caption), trained on a seeded split of the 4096 patterns. At log-spaced epochs we record the
activity of every layer on all 4096 inputs, the train/test error, each layer's weight norm and
(optionally) the per-sample gradient signal-to-noise ratio (App. I, Eqs. 26–27).

Training runs on the shared batched trainer (`ibcore.train.fit_stacked`); several seeds can
train in one block (`train_szt_seeds`) with the same results as one run per seed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import torch

from ibcore.data import szt
from ibcore.gradient_snr import layer_snr
from ibcore.infoplane import log_epochs
from ibcore.seeding import numpy_rng, torch_generator
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.evaluate import activations, error_rates, losses
from ibcore.train.losses import sigmoid_bce

WIDTHS = [12, 10, 7, 5, 4, 3, 2]


def sigmoid_output_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of two independent sigmoid output units against the one-hot label.

    The paper's output layer is two sigmoid neurons (Fig. 1 caption), not a softmax. Summed
    over output units, averaged over samples (`ibcore.train.losses.sigmoid_bce`); logits
    (B, C) give a scalar, stacked logits (M, B, C) one loss per model.
    """
    return sigmoid_bce(logits, y)


@dataclass
class TrainingRecord:
    """What one training run leaves behind, per logged epoch."""

    epochs: list[int]
    acts: list[list[np.ndarray]] = field(default_factory=list)  # [epoch][layer] (4096, width)
    train_error: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_error: list[float] = field(default_factory=list)
    weight_norm: list[list[float]] = field(default_factory=list)  # [epoch][layer]
    snr: list[dict[str, list[float]]] = field(default_factory=list)  # [epoch] {mean,std,snr}


def split(n: int, train_frac: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random split of `n` indices into train and test parts."""
    order = rng.permutation(n)
    n_train = int(round(train_frac * n))
    return np.sort(order[:n_train]), np.sort(order[n_train:])


def layer_activity(model: StackedMLP, x: torch.Tensor) -> list[list[np.ndarray]]:
    """Activity of every layer of every stacked model on `x`, the output after its sigmoid:
    [model][layer] arrays (n, width), float64."""
    acts = activations(model, x)
    acts[-1] = torch.sigmoid(acts[-1])
    per_layer = [a.cpu().numpy().astype(np.float64) for a in acts]
    return [[a[k] for a in per_layer] for k in range(model.n_models)]


def authors_init(
    widths: list[int], act: str, seeds: list[int], device: str = "cpu"
) -> StackedMLP:
    """The initialisation of the authors' code (artemyk/ibsgd, `IBnet_SaveActivations`).

    Hidden layer of width n: weights from a normal with σ = 1/√n truncated at ±2σ (Keras'
    `TruncatedNormal(stddev=1/sqrt(n))`, out-of-range values redrawn), biases zero. The output
    layer keeps Keras' default: Glorot-uniform weights, U(±√(6/(fan_in + fan_out))), zero bias.
    Model k draws from its own generator `torch_generator(seeds[k], 4)`.
    """
    n_layers = len(widths) - 1
    weights: list[list[torch.Tensor]] = [[] for _ in range(n_layers)]
    for seed in seeds:
        g = torch_generator(seed, 4)
        for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
            w = torch.empty(a, b)
            if i < n_layers - 1:
                sd = 1.0 / np.sqrt(b)
                torch.nn.init.trunc_normal_(w, std=sd, a=-2 * sd, b=2 * sd, generator=g)
            else:
                lim = float(np.sqrt(6.0 / (a + b)))
                torch.nn.init.uniform_(w, -lim, lim, generator=g)
            weights[i].append(w)
    stacked = [torch.stack(ws) for ws in weights]
    biases = [torch.zeros(len(seeds), 1, w.shape[2]) for w in stacked]
    return StackedMLP(stacked, biases, act).to(device)


def initial_model(cfg: dict, seeds: list[int], device: str = "cpu") -> StackedMLP:
    """The config's initialisation arm: "authors" (the default, `authors_init`) or "torch"
    (PyTorch's `nn.Linear` default, drawn as ``torch.manual_seed(seed); MLP(widths)``)."""
    arm = cfg.get("init", "authors")
    if arm == "authors":
        return authors_init(WIDTHS, cfg["activation"], seeds, device)
    if arm == "torch":
        return StackedMLP.torch_default(WIDTHS, cfg["activation"], seeds, device)
    raise ValueError(f"unknown init {arm!r}; choose 'authors' or 'torch'")


def steps_per_epoch(n_train: int, batch_size: int) -> int:
    """Optimisation steps in one epoch (the last minibatch may be smaller)."""
    return 1 if batch_size <= 0 or batch_size >= n_train else -(-n_train // batch_size)


def schedule(cfg: dict) -> Schedule:
    """The config's training: "adam" (the authors' code) or "sgd" (plain gradient descent, the
    paper's wording) at `lr`, minibatches of `batch_size` (0 = full batch), sigmoid outputs."""
    return Schedule(
        n_epochs=cfg["n_epochs"],
        batch_size=cfg["batch_size"],
        optimizer=cfg["optimizer"],
        lr=cfg["lr"],
        loss=sigmoid_bce,
    )


def train_szt_seeds(
    cfg: dict,
    seeds: list[int],
    progress: Callable[..., Iterable[int]] | None = None,
    device: str = "cpu",
) -> list[tuple[TrainingRecord, np.ndarray]]:
    """Train one model per seed together (`ibcore.train.fit_stacked`); per seed, its record and
    train indices.

    Seed s draws exactly what a run with `ctx.seed = s` draws: its split from
    `numpy_rng(s, 1)`, its initialisation (`initial_model`) and its minibatch order from
    `torch_generator(s, 2)`. A model's numbers equal those of one run per seed to float32
    rounding whichever seeds share its block (bitwise only on some CPUs; see
    tests/test_train_batched.py), which is why the sweep always gives a seed the same block.
    """
    x_np, y_np = szt()
    splits = [split(len(x_np), cfg["train_frac"], numpy_rng(s, 1)) for s in seeds]
    x, y = torch.from_numpy(x_np).to(device), torch.from_numpy(y_np).to(device)
    train = torch.from_numpy(np.stack([tr for tr, _ in splits])).to(device)
    test = torch.from_numpy(np.stack([te for _, te in splits])).to(device)
    model = initial_model(cfg, seeds, device)
    logged = cfg.get("log_at") or log_epochs(cfg["n_epochs"], cfg["n_log"])
    recs = [TrainingRecord(epochs=logged) for _ in seeds]

    def hook(epoch: int, m: StackedMLP) -> None:
        _log_state(recs, m, x, y, train, test, cfg["record_snr"])

    wrap = None if progress is None else (lambda it: progress(it, desc=cfg["activation"]))
    fit_stacked(
        model, x, y, schedule(cfg), [torch_generator(s, 2) for s in seeds],
        subsets=train, hook=hook, hook_epochs=logged, progress=wrap,
    )
    return [(rec, tr) for rec, (tr, _) in zip(recs, splits)]


def _log_state(
    recs: list[TrainingRecord],
    model: StackedMLP,
    x: torch.Tensor,
    y: torch.Tensor,
    train: torch.Tensor,
    test: torch.Tensor,
    record_snr: bool,
) -> None:
    train_err = error_rates(model, x[train], y[train])
    train_loss = losses(model, x[train], y[train], sigmoid_bce)
    test_err = error_rates(model, x[test], y[test]) if test.shape[1] else None
    for k, (rec, acts) in enumerate(zip(recs, layer_activity(model, x))):
        rec.acts.append(acts)
        rec.train_error.append(float(train_err[k]))
        rec.train_loss.append(float(train_loss[k]))
        rec.test_error.append(float(test_err[k]) if test_err is not None else 0.0)
        rec.weight_norm.append([float(w[k].detach().norm()) for w in model.weights])
        if record_snr:
            net = model.model(k)
            rec.snr.append(layer_snr(net, sigmoid_output_loss, x[train[k]], y[train[k]]))
