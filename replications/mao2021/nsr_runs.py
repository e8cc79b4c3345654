"""One seed of one NSR row (Fu et al., NeurIPS 2022, MNIST MLPs): Xavier init, SGD, CE ± NSR.

The regularised layer is the last hidden layer (the representation the classifier reads); the
reported number is the test error at the epoch of the lowest validation error.
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.nn import init
from ibcore.nn.mlp import MLP
from ibcore.nn.nsr import StackedNSRTerm
from replications.mao2021.training import load_split, train


def run(cfg: dict, ctx: RunContext) -> dict:
    """Metrics: test error (%) at the best-validation epoch, that epoch, both curves."""
    split = load_split(cfg["n_train"], cfg["n_val"], cfg["n_test"], ctx.numpy_rng(0))
    model = MLP(cfg["widths"], act="relu")
    init.init_base(model, "xavier", ctx.torch_generator(2))
    lam = cfg["lam"] if cfg["method"] == "nsr" else 0.0
    # the last hidden layer (activations[-2]) is regularised; cross-entropy is the trainer's
    nsr = StackedNSRTerm([lam], n_classes=10, queue_length=cfg["queue_length"], layer=-2)
    (curves,) = train([model], split, cfg["epochs"], cfg["lr"], cfg["batch_size"], ctx,
                      extra_loss=nsr)
    best = int(np.argmin(curves["val"]))
    return {
        "test_at_best_val": float(curves["test"][best]),
        "best_val_epoch": best + 1,
        "min_error": float(min(curves["test"])),
        "curve": curves["test"],
        "val_curve": curves["val"],
    }
