"""Experiment 5 — trace of the Fisher information over training (Achille, Rovere & Soatto,
ICLR 2019, Fig. 3; Achille, Paolini & Soatto 2019).

A plain ReLU MLP is trained with SGD on real MNIST labels; at the fractional epochs listed in
the config we evaluate tr F (`ibcore.fisher.fisher_trace`, y ~ p_w(y|x), exact expectation over
the classes) on a fixed set of training images, plus the variant with the true labels. The
paper's observation: tr F rises steeply in the first epochs (the network memorises
information) and then decreases (it forgets it, i.e. consolidates) while training continues.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from ibcore.context import RunContext
from ibcore.fisher import fisher_trace
from ibcore.nn.mlp import MLP
from ibcore.train import error_rate, minibatches
from replications.achille2018 import data


def run(cfg: dict, ctx: RunContext) -> dict:
    split = data.subset(ctx.numpy_rng(0), cfg["n_train"], "real", cfg["pool"], cfg["n_test"])
    probe = slice(0, cfg["n_probe"])  # the subset is already a random draw
    torch.manual_seed(int(ctx.torch_generator(1).initial_seed()))
    model = MLP([split.x.shape[1], *cfg["hidden"], data.N_CLASSES], "relu")
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    steps_per_epoch = -(-cfg["n_train"] // cfg["batch_size"])
    eval_steps = sorted({round(e * steps_per_epoch) for e in cfg["eval_epochs"]})
    gen = ctx.torch_generator(2)

    traces, true_traces, epochs = [], [], []

    def probe_now(step: int) -> None:
        model.eval()
        traces.append(fisher_trace(model, split.x[probe]))
        true_traces.append(fisher_trace(model, split.x[probe], split.y[probe], labels="true"))
        epochs.append(step / steps_per_epoch)
        model.train()

    step = 0
    n_epochs = int(np.ceil(max(cfg["eval_epochs"])))
    for _ in ctx.progress(range(n_epochs), desc="fisher epochs"):
        for idx in minibatches(cfg["n_train"], cfg["batch_size"], gen):
            if step in eval_steps:
                probe_now(step)
            loss = F.cross_entropy(model(split.x[idx]), split.y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
    if step in eval_steps:
        probe_now(step)
    peak = int(np.argmax(traces))
    return {
        "epochs": epochs,
        "trace": traces,
        "trace_normalised": [t / traces[peak] for t in traces],
        "trace_true_labels": true_traces,
        "peak_epoch": epochs[peak],
        "train_error": error_rate(model, split.x, split.y),
        "test_error": error_rate(model, split.test_x, split.test_y),
    }
