"""β-BNN: supervised learning as lossy compression of the data set into the weights.

Xu (Shell) Hu's rate–distortion view of learning (slides "On regularizing deep learning
using mutual information"; Ahn, Hu et al. 2019 background) treats the weight posterior
q(w | S) as a channel from data sets S to weights and minimises, for each S,

    E_q[d(w, S)] + β · KL(q(w | S) ‖ m(w)),       m(w) = E_S[q(w | S)],

the Blahut–Arimoto Lagrangian (Cover & Thomas §10.8) with the *aggregate posterior* m in
the role of the output marginal. Averaged over S, the KL term is I(S; W) + KL(m̄ ‖ m) ≥ I(S; W),
so learning m tightens the rate. m is approximated by a uniform mixture of K mean-field
Gaussian posteriors fitted on bootstrap samples B_k of S; fixing m ≡ N(0, I) and β = 1/n
gives the Vanilla BNN of Blundell et al. (ICML 2015, "Weight Uncertainty in Neural Networks").

The posterior layers are `ibcore.nn.bayes.MeanFieldGaussianLinear`; this module only adds the
mixture prior and its KL. KL(q ‖ Σ_k π_k q_k) has no closed form; two estimates:

* `MixturePrior.kl_bound` — −log Σ_k π_k exp(−KL(q ‖ q_k)), the tightest upper bound given
  by Jensen's inequality with optimal responsibilities (derivation in its docstring).
  Deterministic and cheap (closed-form Gaussian KLs), used for training.
* `MixturePrior.kl_mc` — unbiased Monte Carlo E_q[log q(w) − log m(w)], reparameterised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from ibcore.nn.bayes import MeanFieldGaussianLinear, bayesian_layers

Posterior = list[tuple[torch.Tensor, torch.Tensor]]  # per layer: flat (μ, log σ), detached

LOG_2PI = math.log(2 * math.pi)


def _gaussian_layers(model: nn.Module) -> list[MeanFieldGaussianLinear]:
    layers = list(bayesian_layers(model))
    if not layers or not all(isinstance(la, MeanFieldGaussianLinear) for la in layers):
        raise TypeError(f"{type(model).__name__} needs MeanFieldGaussianLinear layers only")
    return layers


def snapshot(model: nn.Module) -> Posterior:
    """The posterior q(w | θ) of a trained model, as detached per-layer (μ, log σ)."""
    return [tuple(t.detach().clone() for t in la.posterior_params())
            for la in _gaussian_layers(model)]


def kl_to_posterior(model: nn.Module, other: Posterior) -> torch.Tensor:
    """KL(q_model ‖ q_other) in nats, exact (both diagonal Gaussians)."""
    layers = _gaussian_layers(model)
    if len(layers) != len(other):
        raise ValueError(f"model has {len(layers)} layers, posterior {len(other)}")
    return torch.stack([la.kl_to(mu, ls) for la, (mu, ls) in zip(layers, other)]).sum()


def _log_normal(w: torch.Tensor, mu: torch.Tensor, log_sigma: torch.Tensor) -> torch.Tensor:
    return (-0.5 * ((w - mu) * torch.exp(-log_sigma)) ** 2 - log_sigma - 0.5 * LOG_2PI).sum()


class MixturePrior:
    """m(w) = (1/K) Σ_k q_k(w): a uniform mixture of K diagonal-Gaussian posteriors.

    `replace(k, post)` swaps one component, which is what the online β-BNN does after fitting
    each component; a round-based β-BNN builds a fresh prior after each round.
    """

    def __init__(self, components: Sequence[Posterior]) -> None:
        if not components:
            raise ValueError("a mixture prior needs at least one component")
        self.components = list(components)

    @property
    def k(self) -> int:
        return len(self.components)

    def replace(self, index: int, post: Posterior) -> None:
        self.components[index] = post

    def kl_bound(self, model: nn.Module) -> torch.Tensor:
        """Upper bound −log Σ_k π_k exp(−KL(q ‖ q_k)) on KL(q ‖ m), in nats.

        For any responsibilities φ_k, log m(w) ≥ Σ_k φ_k log(π_k q_k(w)/φ_k) (Jensen), hence
        KL(q ‖ m) ≤ Σ_k φ_k (KL(q ‖ q_k) − log π_k + log φ_k); the minimising φ_k ∝
        π_k exp(−KL(q ‖ q_k)) gives the bound. Exact for K = 1; never above min_k KL_k + log K.
        """
        kls = torch.stack([kl_to_posterior(model, c) for c in self.components])
        return -(torch.logsumexp(-kls, dim=0) - math.log(self.k))

    def log_prob(self, weights: Sequence[torch.Tensor]) -> torch.Tensor:
        """log m(w) for per-layer flat weight vectors `weights`."""
        per_comp = torch.stack([
            sum(_log_normal(w, mu, ls) for w, (mu, ls) in zip(weights, comp))
            for comp in self.components
        ])
        return torch.logsumexp(per_comp, dim=0) - math.log(self.k)

    def kl_mc(self, model: nn.Module, n_samples: int = 1) -> torch.Tensor:
        """Monte Carlo KL(q ‖ m) = E_q[log q(w) − log m(w)] with reparameterised draws."""
        layers = _gaussian_layers(model)
        total = torch.zeros(())
        for _ in range(n_samples):
            params = [la.posterior_params() for la in layers]
            ws = [mu + torch.exp(ls) * torch.randn_like(mu) for mu, ls in params]
            log_q = sum(_log_normal(w, mu, ls) for w, (mu, ls) in zip(ws, params))
            total = total + log_q - self.log_prob(ws)
        return total / n_samples


def rate(model: nn.Module, prior: MixturePrior | None) -> torch.Tensor:
    """The rate term KL(q ‖ m): exact to the layers' own N(0, σ_p²) prior when `prior` is None
    (fixed-prior and Vanilla BNN), else the mixture bound."""
    if prior is None:
        return torch.stack([la.kl() for la in _gaussian_layers(model)]).sum()
    return prior.kl_bound(model)
