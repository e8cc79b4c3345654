"""β-BNN on MNIST: four variants of the rate–distortion objective, each swept over β.

A reconstruction (the slides give no architecture, n, K or n_b; README § Deviations):
every posterior is a mean-field Gaussian `BayesMLP` fitted by Adam on

    mean NLL on its data + β · KL(q ‖ m)

(the distortion is the per-example NLL, so β = 1/n with m = N(0, I) is the Vanilla BNN ELBO
of Blundell et al. 2015). The variants differ only in the prior m (`VARIANTS`):

* vanilla — m = N(0, I), β = 1/n (no sweep: β is fixed by the ELBO);
* fixed   — m = N(0, I), β swept;
* beta    — Blahut–Arimoto-style rounds: K posteriors on bootstrap samples B_k (size n_b),
            each against the previous round's m; then m ← uniform mixture of the K; the
            round-0 prior is N(0, I); the reported model is the posterior on all of S under
            the final m;
* online  — as beta, but component k replaces its predecessor in m as soon as it is fitted,
            so later components already see it.

β* is chosen per variant on a held-out validation split; test accuracy is reported at β*.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.nn.bayes import BayesMLP, split_noise_parameters
from ibcore.nn.bbnn import MixturePrior, rate, snapshot
from ibcore.train import error_rate, minibatches

VARIANTS = {
    "vanilla": {"learned": False, "online": False, "sweep": False},
    "fixed": {"learned": False, "online": False, "sweep": True},
    "beta": {"learned": True, "online": False, "sweep": True},
    "online": {"learned": True, "online": True, "sweep": True},
}


def fit_posterior(x: torch.Tensor, y: torch.Tensor, prior: MixturePrior | None, beta: float,
                  cfg: dict, gen: torch.Generator) -> BayesMLP:
    """Minimise mean NLL + β·KL(q ‖ prior) with minibatch Adam for `steps` steps."""
    model = BayesMLP([784, *cfg["hidden"], 10], "gaussian", act="relu",
                     prior_sigma=cfg["prior_sigma"], init_log_sigma=cfg["init_log_sigma"])
    means, noise = split_noise_parameters(model)
    # log σ only moves through the KL and needs a larger step to reach equilibrium in budget
    opt = torch.optim.Adam([{"params": means, "lr": cfg["lr"]},
                            {"params": noise, "lr": cfg["noise_lr"]}])
    step = 0
    while step < cfg["steps"]:
        for idx in minibatches(len(x), cfg["batch"], gen):
            loss = F.cross_entropy(model(x[idx]), y[idx]) + beta * rate(model, prior)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step == cfg["steps"]:
                break
    model.eval()
    return model


def learn_prior(x: torch.Tensor, y: torch.Tensor, beta: float, variant: dict, cfg: dict,
                gen: torch.Generator, rng: np.random.Generator) -> MixturePrior | None:
    """The aggregate-posterior mixture after `rounds` rounds of K bootstrap fits (None: N(0, I))."""
    prior: MixturePrior | None = None
    for _ in range(cfg["rounds"] if variant["learned"] else 0):
        fitted: list = []
        for _k in range(cfg["k"]):
            boot = torch.from_numpy(rng.integers(0, len(x), cfg["n_b"]))
            current = prior
            if variant["online"] and fitted:
                # the newest components join the mixture at once (online update)
                old = [] if prior is None else prior.components[len(fitted):]
                current = MixturePrior(fitted + old)
            fitted.append(snapshot(fit_posterior(x[boot], y[boot], current, beta, cfg, gen)))
        prior = MixturePrior(fitted)
    return prior


def run_variant(name: str, cfg: dict, ctx: RunContext) -> dict:
    """One seed of one variant: its β sweep, β* on validation, test accuracy at β*."""
    variant = VARIANTS[name]
    d = mnist()
    order = ctx.numpy_rng(3).permutation(len(d.train_y))
    tr, va = order[: cfg["n"]], order[cfg["n"]: cfg["n"] + cfg["n_val"]]
    x, y = torch.from_numpy(d.train_x[tr]), torch.from_numpy(d.train_y[tr])
    val = torch.from_numpy(d.train_x[va]), torch.from_numpy(d.train_y[va])
    test = torch.from_numpy(d.test_x), torch.from_numpy(d.test_y)
    betas = list(cfg["betas"]) if variant["sweep"] else [1.0 / cfg["n"]]
    val_acc, test_acc, rates = [], [], []
    for i, beta in enumerate(ctx.progress(betas, desc=f"bbnn {name}")):
        gen, rng = ctx.torch_generator(4, i), ctx.numpy_rng(5, i)
        prior = learn_prior(x, y, beta, variant, cfg, gen, rng)
        model = fit_posterior(x, y, prior, beta, cfg, gen)
        val_acc.append(100.0 * (1.0 - error_rate(model, *val)))
        test_acc.append(100.0 * (1.0 - error_rate(model, *test)))
        with torch.no_grad():
            rates.append(float(rate(model, prior)) / np.log(2.0))
    best = int(np.argmax(val_acc))
    return {"betas": betas, "val_acc": val_acc, "test_acc": test_acc, "rate_bits": rates,
            "best_beta": betas[best], "acc": test_acc[best]}
