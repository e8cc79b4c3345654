"""The anchor of the β-BNN reconstruction: plain (non-Bayesian) training of the same MLP.

The slides' Fixed-prior row has β* = 1e−10, where the KL term is negligible, so it is plain
training of the mean network. This experiment measures the plain network's test accuracy at
several training-set sizes n (the first n images of the same shuffled split the β-BNN uses),
so the report shows where n = 20,000 sits: the size at which plain training reaches the Fixed
row. One stack per seed (`ibcore.train.fit_stacked`), one model per n.
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.evaluate import error_rates


def run_anchor(cfg: dict, ctx: RunContext) -> dict:
    """Test accuracy (%) of the plain MLP at each n, trained `epochs` epochs on its n images."""
    d = mnist()
    order = ctx.numpy_rng(3).permutation(len(d.train_y))  # the β-BNN's split
    x, y = torch.from_numpy(d.train_x), torch.from_numpy(d.train_y)
    test = torch.from_numpy(d.test_x), torch.from_numpy(d.test_y)
    accs = []
    for i, n in enumerate(cfg["sizes"]):
        model = StackedMLP.torch_default([784, *cfg["hidden"], 10], "relu",
                                         [int(ctx.numpy_rng(4, i).integers(2**31))])
        idx = torch.from_numpy(order[:n])
        fit_stacked(model, x[idx], y[idx], Schedule(cfg["epochs"], cfg["batch"], "adam", cfg["lr"]),
                    [ctx.torch_generator(5, i)])
        accs.append(100.0 * (1.0 - float(error_rates(model, *test)[0])))
    at = dict(zip(cfg["sizes"], accs))
    return {"sizes": list(cfg["sizes"]), "acc": accs,
            "acc_at_n": float(at[cfg["n_ref"]]), "n_ref": cfg["n_ref"],
            "acc_gain_per_doubling": float(np.polyfit(np.log2(cfg["sizes"]), accs, 1)[0])}
