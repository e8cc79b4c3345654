"""Experiments 2 and 3 — information in the weights per memorised label, and vs dataset size.

Achille & Soatto (JMLR 2018, §7.1, Fig. 2 right; Fig. 1): a network that memorises N random
labels must store at least N·ln 10 nats in its weights (one label out of 10 per sample); the
paper measures about 3 nats per sample, and far less when the labels are real, because real
labels are predictable from the images.

`label_information` trains random- and real-label networks on the same images over a short β
list and reads the KL per sample at the *most compressed memorising solution*: the largest β
of the list whose random-label training error is ≤ `memorised_error` (the smallest β if none
is). Below that β the KL is cheap and the network keeps more than it needs, so the smallest
information that still memorises is the quantity the ln 10 argument is about.

`dataset_size` trains random-label networks at one β for several N.
"""

from __future__ import annotations

import math

from ibcore.context import RunContext
from replications.achille2018.fit import fit_point

LN10 = math.log(10)


def run_labels(cfg: dict, ctx: RunContext) -> dict:
    betas = sorted(float(b) for b in cfg["betas"])
    out: dict = {"betas": betas, "ln10": LN10}
    for j, labels in enumerate(("random", "real")):
        pts = [
            fit_point(cfg, ctx, beta=b, labels=labels, n_train=cfg["n_train"], stream=100 * j + i)
            for i, b in enumerate(ctx.progress(betas, desc=f"{labels} labels"))
        ]
        out[labels] = {
            "train_error": [p["train_error"] for p in pts],
            "kl_per_sample": [p["kl_per_sample"] for p in pts],
            "converged": [p["converged"] for p in pts],
        }
    memorised = [
        i for i, e in enumerate(out["random"]["train_error"]) if e <= cfg["memorised_error"]
    ]
    k = memorised[-1] if memorised else 0
    out["beta_memorised"] = betas[k]
    for labels in ("random", "real"):
        out[labels]["at_memorisation"] = out[labels]["kl_per_sample"][k]
    out["random"]["nats_per_label_over_ln10"] = out["random"]["at_memorisation"] / LN10
    return out


def run_sizes(cfg: dict, ctx: RunContext) -> dict:
    sizes = sorted(int(n) for n in cfg["sizes"])
    pts = [
        fit_point(cfg, ctx, beta=cfg["beta"], labels="random", n_train=n, stream=i)
        for i, n in enumerate(ctx.progress(sizes, desc="dataset sizes"))
    ]
    return {
        "n_train": sizes,
        "kl": [p["kl"] for p in pts],
        "kl_per_sample": [p["kl_per_sample"] for p in pts],
        "train_error": [p["train_error"] for p in pts],
        "max_train_error": max(p["train_error"] for p in pts),
        "converged": [p["converged"] for p in pts],
    }
