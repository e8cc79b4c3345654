"""One seed of one NSR net (Fu et al., NeurIPS 2022, MNIST MLPs): Xavier init, SGD, CE ± NSR.

Every loss of a run (`losses`, e.g. plain cross-entropy and CE + NSR) is trained in one
ensemble on one minibatch order from the same Xavier initialisation, so the per-seed NSR − CE
difference is paired. The regularised layer (`layer`: −1 = the logits, the authors' default;
−2 = the last hidden layer) and the class-mean queue length come from the config. The reported
number is the test error at the epoch of the best validation error; like the authors' code
(which re-tests whenever the validation accuracy is at least its best so far), a tie goes to the
later epoch.
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.nn import init
from ibcore.nn.mlp import MLP
from ibcore.nn.nsr import StackedNSRTerm
from replications.mao2021.training import load_split, train


def best_validation_epoch(val: list[float]) -> int:
    """0-based index of the lowest validation error, the last one among ties."""
    v = np.asarray(val)
    return int(np.flatnonzero(v == v.min())[-1])


def run(cfg: dict, ctx: RunContext) -> dict:
    """Metrics per loss: test error (%) at the best-validation epoch, that epoch, both curves."""
    split = load_split(cfg["n_train"], cfg["n_val"], cfg["n_test"], ctx.numpy_rng(0))
    models = []
    for _ in cfg["losses"]:
        model = MLP(cfg["widths"], act="relu")
        init.init_base(model, "xavier", ctx.torch_generator(2))
        models.append(model)
    lams = [cfg["lam"] if loss == "nsr" else 0.0 for loss in cfg["losses"]]
    nsr = StackedNSRTerm(lams, n_classes=10, queue_length=cfg["queue_length"],
                         layer=cfg["layer"])
    curves = train(models, split, cfg["epochs"], cfg["lr"], cfg["batch_size"], ctx,
                   extra_loss=nsr)
    metrics: dict = {"epochs": cfg["epochs"]}
    for loss, c in zip(cfg["losses"], curves, strict=True):
        best = best_validation_epoch(c["val"])
        metrics[loss] = {
            "test_at_best_val": float(c["test"][best]),
            "best_val_epoch": best + 1,
            "min_error": float(min(c["test"])),
            "curve": c["test"],
            "val_curve": c["val"],
        }
    return metrics
