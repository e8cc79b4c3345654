"""Experiment 5 — trace of the Fisher information of the weights over training (Achille,
Rovere & Soatto, "Critical Learning Periods in Deep Networks", ICLR 2019, §3 and Fig. 3;
Achille, Paolini & Soatto 2019).

A plain ReLU MLP is trained with SGD on real MNIST labels; at the fractional epochs listed in
the config we evaluate tr F (`ibcore.fisher.fisher_trace`: y ~ p_w(y|x), exact expectation over
the classes) on a fixed probe set of training images. The follow-up's observation: tr F rises
steeply in the first epochs (the network takes in information) and then decreases (it
forgets the inessential part) while training continues.

Two models train side by side as one `fit_stacked` stack, from the same initialisation and
with the same minibatches:

* ``followup`` — the follow-up's optimiser setting (ICLR 2019, §A): SGD with momentum 0.9,
  weight decay 5·10⁻⁴, learning rate decayed by 0.97 per epoch. The decay is applied to the
  gradient (data term and weight-decay term, ½·λ‖w‖² added as the extra loss) before the
  momentum buffer, which for a factor this close to 1 is the same schedule to first order.
* ``plain`` — no weight decay and a constant learning rate (the setting of our earlier
  version, kept as a check): on training images the trace falls as the softmax saturates,
  almost whatever the network learns.
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.fisher import fisher_trace
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.batched import Step
from ibcore.train.evaluate import error_rates
from replications.achille2018 import data

ARMS = ("followup", "plain")


def run(cfg: dict, ctx: RunContext) -> dict:
    split = data.subset(ctx.numpy_rng(0), cfg["n_train"], "real", cfg["pool"], cfg["n_test"])
    probe = split.x[: cfg["n_probe"]]  # the subset is already a random draw
    seed = int(ctx.torch_generator(1).initial_seed())
    widths = [split.x.shape[1], *cfg["hidden"], data.N_CLASSES]
    model = StackedMLP.torch_default(widths, "relu", [seed, seed], layout="batch")
    decay = torch.tensor([cfg["weight_decay"], 0.0]).reshape(2, 1, 1)
    lr_decay = [cfg["lr_decay"], 1.0]
    scale = torch.ones(2, 1, 1)

    def scale_grad(g: torch.Tensor) -> torch.Tensor:
        return g * scale

    for p in model.parameters():
        p.register_hook(scale_grad)
    steps_per_epoch = -(-cfg["n_train"] // cfg["batch_size"])
    eval_steps = sorted({round(e * steps_per_epoch) for e in cfg["eval_epochs"]})
    traces: list[list[float]] = []
    epochs: list[float] = []
    count = [0]

    def probe_now() -> None:
        traces.append([fisher_trace(model.model(k).eval(), probe) for k in range(2)])
        epochs.append(count[0] / steps_per_epoch)

    def extra(step: Step) -> torch.Tensor:
        if count[0] in eval_steps:
            probe_now()
        count[0] += 1
        for k in range(2):
            scale[k] = lr_decay[k] ** step.epoch
        sq = sum((w * w).flatten(1).sum(1) for w in step.model.weights)
        sq = sq + sum((b * b).flatten(1).sum(1) for b in step.model.biases)
        return 0.5 * decay.flatten() * sq

    n_epochs = int(np.ceil(max(cfg["eval_epochs"])))
    schedule = Schedule(
        n_epochs=n_epochs,
        batch_size=cfg["batch_size"],
        optimizer="sgd",
        lr=cfg["lr"],
        momentum=cfg["momentum"],
    )
    gens = [ctx.torch_generator(2), ctx.torch_generator(2)]
    fit_stacked(model, split.x, split.y, schedule, gens, extra_loss=extra)
    if count[0] in eval_steps:
        probe_now()
    train_err = error_rates(model, split.x, split.y).tolist()
    test_err = error_rates(model, split.test_x, split.test_y).tolist()
    out: dict = {"epochs": epochs}
    for k, arm in enumerate(ARMS):
        tr = [t[k] for t in traces]
        peak = int(np.argmax(tr))
        out[arm] = {
            "trace": tr,
            "trace_normalised": [t / tr[peak] for t in tr],
            "peak_epoch": epochs[peak],
            "train_error": train_err[k],
            "test_error": test_err[k],
        }
    return out
