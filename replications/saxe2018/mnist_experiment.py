"""MNIST information planes, tanh vs ReLU (Saxe et al. 2018, Fig. 1C–D; App. B, Figs. 9–10).

Network 784-1024-20-20-20-10 (quick profile: a narrower first layer and a training subset, set
in config.toml), output layer of sigmoid units as in the paper, the authors' initialisation
(`szt_training.authors_init`), plain SGD with batch 128. MI is
estimated on (a seeded subset of) the test set with KDE (σ² = 0.1) and with binning of bin size
0.5, at log-spaced epochs.
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.infoplane import PlaneEstimator, information_plane, log_epochs
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.evaluate import error_rates
from ibcore.train.losses import sigmoid_bce
from replications.saxe2018.szt_experiment import plane_metrics
from replications.saxe2018.szt_training import authors_init, layer_activity


def _subset(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return np.arange(n) if k <= 0 or k >= n else np.sort(rng.choice(n, size=k, replace=False))


def run(cfg: dict, ctx: RunContext) -> dict:
    """One seed: train on MNIST, record test-set activity, compute KDE and binning planes."""
    data = mnist()
    tr = _subset(len(data.train_y), cfg["n_train"], ctx.numpy_rng(1))
    te = _subset(len(data.test_y), cfg["n_mi"], ctx.numpy_rng(2))
    dev = ctx.device
    xtr, ytr, xte, yte = (
        torch.from_numpy(a).to(dev)
        for a in (data.train_x[tr], data.train_y[tr], data.test_x[te], data.test_y[te])
    )

    widths = [784, *cfg["hidden"], 10]
    if cfg.get("init", "authors") == "authors":
        model = authors_init(widths, cfg["activation"], [ctx.seed], dev)
    else:
        model = StackedMLP.torch_default(widths, cfg["activation"], [ctx.seed], dev)
    epochs = log_epochs(cfg["n_epochs"], cfg["n_log"])
    acts, train_err, test_err = [], [], []

    def hook(epoch: int, m: StackedMLP) -> None:
        acts.append(layer_activity(m, xte)[0])
        train_err.append(float(error_rates(m, xtr, ytr)[0]))
        test_err.append(float(error_rates(m, xte, yte)[0]))

    sched = Schedule(n_epochs=cfg["n_epochs"], batch_size=cfg["batch_size"], optimizer="sgd",
                     lr=cfg["lr"], loss=sigmoid_bce)
    fit_stacked(model, xtr, ytr, sched, [ctx.torch_generator(3)], hook=hook, hook_epochs=epochs,
                progress=lambda it: ctx.progress(it, desc=f"mnist {cfg['activation']}"))

    labels = yte.cpu().numpy()
    n_layers = len(widths) - 1
    near_output = (n_layers - 2, n_layers - 1)  # the last two hidden layers
    estimators = {
        "kde": PlaneEstimator("kde", {"noise_var": cfg["kde_noise_var"]}),
        "binning": PlaneEstimator("binning", {"n_bins": None, "bin_size": cfg["bin_size"]}),
    }
    metrics: dict = {"epochs": epochs, "train_error": train_err, "test_error": test_err}
    for name, est in estimators.items():
        metrics[name] = plane_metrics(information_plane(acts, labels, est), near_output,
                                      n_samples=len(labels), epochs=epochs)
    return metrics
