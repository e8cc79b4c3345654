"""β-BNN on MNIST: four variants of the rate–distortion objective, each swept over β.

A reconstruction (the slides give no architecture, n, K or n_b; README § Deviations):
every posterior is a mean-field Gaussian MLP fitted by Adam on

    mean NLL on its data + β · KL(q ‖ m)

(the distortion is the per-example NLL, so β = 1/n with m = N(0, I) is the Vanilla BNN ELBO
of Blundell et al. 2015). The variants differ only in the prior m (`VARIANTS`):

* vanilla — m = N(0, I), β = 1/n (no sweep: β is fixed by the ELBO);
* fixed   — m = N(0, I), β swept;
* beta    — Blahut–Arimoto-style rounds: K posteriors on bootstrap samples B_k (size n_b),
            each against the previous round's m; then m ← uniform mixture of the K (the
            slides' Θ); the round-0 prior is N(0, I);
* online  — as beta, but component k replaces its predecessor in m as soon as it is fitted,
            so later components already see it.

Two predictors for the learned variants: the *mixture* (the ensemble of the K posterior-mean
networks of the final m, averaging their softmax outputs: the slides' output Θ) and the
*refit* (one posterior on all of S against the final m, predicting with its mean). β* is
chosen per variant and predictor on a held-out validation split.

All fits of one stage run as one stack (`ibcore.train.stacked_bayes.StackedGaussianMLP` in
`ibcore.train.fit_stacked`): the β values, and for the round-based variant the K bootstrap
components too. At β index j every variant starts its final fit from the same initial means
and minibatch order, and every learned variant uses the same bootstrap samples, so variants
compare as paired differences at matched β.
"""

from __future__ import annotations

import numpy as np
import torch

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.train import Schedule, fit_stacked
from ibcore.train.stacked_bayes import (
    StackedGaussianMLP,
    StackedPosterior,
    concat,
    mean_probabilities,
    select,
)

VARIANTS = {
    "vanilla": {"learned": False, "online": False, "sweep": False},
    "fixed": {"learned": False, "online": False, "sweep": True},
    "beta": {"learned": True, "online": False, "sweep": True},
    "online": {"learned": True, "online": True, "sweep": True},
}
LN2 = float(np.log(2.0))


def beta_label(beta: float) -> str:
    """A metric key for a β value (no dots, so claims can address it): 1e-05 → "1e-05"."""
    return f"{beta:.0e}"


def fit_stack(x: torch.Tensor, y: torch.Tensor, subsets: torch.Tensor | None, betas: list[float],
              prior: list[StackedPosterior] | None, cfg: dict, ctx: RunContext,
              stream: tuple[int, ...]) -> tuple[StackedPosterior, list[float]]:
    """Fit one posterior per entry of `betas` (stacked); returns (posteriors, rates in bits).

    Model k minimises mean NLL + betas[k]·KL(q_k ‖ m_k): m_k = N(0, σ_p² I) when `prior` is
    None, else the uniform mixture of the components' k-th slices (Jensen upper bound).
    Model k's initial means and minibatch order depend on (`stream`, k) only.
    """
    m = len(betas)
    seeds = [int(ctx.numpy_rng(*stream, k).integers(2**31)) for k in range(m)]
    model = StackedGaussianMLP.torch_default(
        [784, *cfg["hidden"], 10], "relu", seeds, init_log_sigma=cfg["init_log_sigma"],
        prior_sigma=cfg["prior_sigma"], noise_scale=cfg["noise_lr"] / cfg["lr"],
        generator=ctx.torch_generator(*stream, 10**6))
    b = torch.tensor(betas, dtype=torch.float32)

    def rate(mod: StackedGaussianMLP) -> torch.Tensor:
        return mod.kl_standard() if prior is None else mod.mixture_kl_bound(prior)

    schedule = Schedule(cfg["epochs"], cfg["batch"], "adam", cfg["lr"])
    gens = [ctx.torch_generator(*stream, k) for k in range(m)]
    fit_stacked(model, x, y, schedule, gens, subsets=subsets,
                extra_loss=lambda step: b * rate(step.model))
    with torch.no_grad():
        rates = (rate(model) / LN2).tolist()
    return model.posterior(), rates


def bootstrap(n: int, n_b: int, ctx: RunContext, stream: tuple[int, ...]) -> torch.Tensor:
    """n_b indices drawn with replacement from range(n) (the same for every variant)."""
    return torch.from_numpy(ctx.numpy_rng(*stream).integers(0, n, n_b))


def learn_prior(x: torch.Tensor, y: torch.Tensor, betas: list[float], online: bool, cfg: dict,
                ctx: RunContext) -> list[StackedPosterior]:
    """The K components of the final mixture m, each a stack over the β values."""
    nb, k_comp, n = len(betas), cfg["k"], len(x)
    comps: list[StackedPosterior] | None = None
    for r in range(cfg["rounds"]):
        boots = [torch.stack([bootstrap(n, cfg["n_b"], ctx, (6, r, k, j)) for j in range(nb)])
                 for k in range(k_comp)]
        if not online:  # all K components of a round at once: model k·B + j
            prior = None if comps is None else [concat([c] * k_comp) for c in comps]
            post, _ = fit_stack(x, y, torch.cat(boots), betas * k_comp, prior, cfg, ctx, (5, r))
            comps = [select(post, range(k * nb, (k + 1) * nb)) for k in range(k_comp)]
            continue
        new: list[StackedPosterior] = []
        for k in range(k_comp):  # component k joins the mixture as soon as it is fitted
            current = new + (comps[len(new):] if comps is not None else [])
            post, _ = fit_stack(x, y, boots[k], betas, current or None, cfg, ctx, (5, r, k))
            new.append(post)
        comps = new
    return comps or []


def accuracy(probs: torch.Tensor, y: torch.Tensor) -> list[float]:
    """Test accuracy (%) of each model's (M, N, C) class probabilities."""
    return (100.0 * (probs.argmax(-1) == y).double().mean(-1)).tolist()


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
    comps = learn_prior(x, y, betas, variant["online"], cfg, ctx) if variant["learned"] else []
    final, rates = fit_stack(x, y, None, betas, comps or None, cfg, ctx, (4,))
    out = {"betas": betas, "rate_bits": rates,
           **_predictor("", [mean_probabilities(final, s[0]) for s in (val, test)], betas,
                        val, test)}
    if comps:
        mix = [torch.stack([mean_probabilities(c, s[0]) for c in comps]).mean(0)
               for s in (val, test)]
        out.update(_predictor("_mix", mix, betas, val, test))
    return out


def _predictor(tag: str, probs: list[torch.Tensor], betas: list[float], val, test) -> dict:
    """val/test accuracy per β, β* on validation, test accuracy at β* (keys suffixed `tag`)."""
    val_acc, test_acc = accuracy(probs[0], val[1]), accuracy(probs[1], test[1])
    best = int(np.argmax(val_acc))
    return {f"val_acc{tag}": val_acc, f"test_acc{tag}": test_acc,
            f"best_beta{tag}": betas[best], f"log10_best_beta{tag}": float(np.log10(betas[best])),
            f"acc{tag}": test_acc[best],
            f"acc_at{tag}": {beta_label(b): a for b, a in zip(betas, test_acc)}}
