"""M mean-field Gaussian MLPs held as stacked tensors, for `ibcore.train.fit_stacked`.

The stacked counterpart of a `BayesMLP` with `MeanFieldGaussianLinear` layers (Blundell et
al., ICML 2015, "Weight Uncertainty in Neural Networks"): every weight and bias of model k has
a posterior N(μ, σ²). In training mode the forward pass samples each pre-activation from its
exact Gaussian marginal (local reparameterisation, Kingma, Salimans & Welling, NeurIPS 2015,
§2.3): mean h W_μ + b_μ, variance h² σ_W² + σ_b². In eval mode it uses the posterior mean.

KL terms, one value per model (shape (M,)), for `fit_stacked`'s `extra_loss`:

* `kl_standard` — KL(q ‖ N(0, σ_p² I)), exact;
* `kl_to` — KL(q_k ‖ p_k) to a diagonal Gaussian p_k given per model (exact);
* `mixture_kl_bound` — −log Σ_c π_c exp(−KL(q_k ‖ p_{k,c})), the Jensen upper bound on the KL
  to a uniform mixture of diagonal Gaussians (the bound `ibcore.nn.bbnn.MixturePrior` uses).

Learning rate of the noise. log σ is stored as `noise_scale · ρ` with ρ the trained parameter.
Adam's step does not depend on the gradient's scale (up to ε), so ρ moves at the optimiser's
rate and log σ at `noise_scale` times it: the same as a separate parameter group with a
`noise_scale`× learning rate for log σ, which the stacked optimisers (one lr per model, not
per parameter) cannot express otherwise.

Posteriors are exchanged as `StackedPosterior`: per layer (μ_W, log σ_W, μ_b, log σ_b), each
leading with the model index, detached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from ibcore.nn.mlp import activation
from ibcore.train.stacked import StackedMLP

StackedPosterior = list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]]


def _kl_diag(mu: torch.Tensor, ls: torch.Tensor, p_mu: torch.Tensor, p_ls: torch.Tensor,
             m: int) -> torch.Tensor:
    """Σ over a model's elements of KL(N(μ, σ²) ‖ N(p_μ, p_σ²)), per model: (M,)."""
    per = 0.5 * (torch.exp(2.0 * (ls - p_ls)) + (mu - p_mu) ** 2 * torch.exp(-2.0 * p_ls) - 1.0) \
        + (p_ls - ls)
    return per.reshape(m, -1).sum(dim=1)


class StackedGaussianMLP(nn.Module):
    """M mean-field Gaussian MLPs ``widths[0] → … → widths[-1]`` with one hidden activation.

    `weights` / `biases` hold the posterior means (shapes as in `StackedMLP`, so `fit_stacked`
    and `ibcore.train.evaluate` work unchanged); `rho_w` / `rho_b` the scaled log σ.
    `generator` draws the sampling noise (None: torch's global generator).
    """

    def __init__(self, weights: Sequence[torch.Tensor], biases: Sequence[torch.Tensor],
                 act: str = "relu", init_log_sigma: float = -5.0, prior_sigma: float = 1.0,
                 noise_scale: float = 1.0, generator: torch.Generator | None = None) -> None:
        super().__init__()
        if prior_sigma <= 0 or noise_scale <= 0:
            raise ValueError("prior_sigma and noise_scale must be positive")
        self.weights = nn.ParameterList(nn.Parameter(w.detach().clone()) for w in weights)
        self.biases = nn.ParameterList(nn.Parameter(b.detach().clone()) for b in biases)
        rho0 = init_log_sigma / noise_scale
        self.rho_w = nn.ParameterList(nn.Parameter(torch.full_like(w, rho0)) for w in weights)
        self.rho_b = nn.ParameterList(nn.Parameter(torch.full_like(b, rho0)) for b in biases)
        self.noise_scale = float(noise_scale)
        self.prior_log_sigma = math.log(prior_sigma)
        self.act = activation(act)
        self.generator = generator

    @classmethod
    def torch_default(cls, widths: Sequence[int], act: str, seeds: Sequence[int],
                      **kw) -> StackedGaussianMLP:
        """Means initialised as PyTorch's `nn.Linear` (model k as ``manual_seed(seeds[k])``)."""
        plain = StackedMLP.torch_default(widths, act, seeds)
        return cls(list(plain.weights), list(plain.biases), act, **kw)

    @property
    def n_models(self) -> int:
        return self.weights[0].shape[0]

    def log_sigmas(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        return [(self.noise_scale * rw, self.noise_scale * rb)
                for rw, rb in zip(self.rho_w, self.rho_b)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_activations(x)[0]

    def forward_with_activations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """x: (M, B, n_in) or (B, n_in) shared. Sampled pre-activations in training mode."""
        h = x.expand(self.n_models, *x.shape) if x.dim() == 2 else x
        acts = []
        last = len(self.weights) - 1
        for i, (w, b, (lw, lb)) in enumerate(zip(self.weights, self.biases, self.log_sigmas())):
            mean = torch.bmm(h, w) + b
            if self.training:
                var = torch.bmm(h * h, torch.exp(2.0 * lw)) + torch.exp(2.0 * lb)
                noise = torch.randn(mean.shape, generator=self.generator, dtype=mean.dtype)
                mean = mean + torch.sqrt(var + 1e-16) * noise.to(mean.device)
            h = self.act(mean) if i < last else mean
            acts.append(h)
        return acts[-1], acts

    def posterior(self) -> StackedPosterior:
        """Detached (μ_W, log σ_W, μ_b, log σ_b) per layer, all models."""
        return [(w.detach().clone(), lw.detach().clone(), b.detach().clone(), lb.detach().clone())
                for w, b, (lw, lb) in zip(self.weights, self.biases, self.log_sigmas())]

    def kl_standard(self) -> torch.Tensor:
        """KL(q_k ‖ N(0, σ_p² I)) per model, nats: (M,)."""
        m, p_ls = self.n_models, self.prior_log_sigma
        total = torch.zeros(m, dtype=self.weights[0].dtype, device=self.weights[0].device)
        for w, b, (lw, lb) in zip(self.weights, self.biases, self.log_sigmas()):
            zero = torch.zeros((), dtype=w.dtype, device=w.device)
            total = total + _kl_diag(w, lw, zero, zero + p_ls, m) + _kl_diag(b, lb, zero,
                                                                              zero + p_ls, m)
        return total

    def kl_to(self, target: StackedPosterior) -> torch.Tensor:
        """KL(q_k ‖ p_k) per model, p_k = model k's slice of `target`: (M,)."""
        m = self.n_models
        total = torch.zeros(m, dtype=self.weights[0].dtype, device=self.weights[0].device)
        for (w, b, (lw, lb)), (tw, tlw, tb, tlb) in zip(
                zip(self.weights, self.biases, self.log_sigmas()), target):
            total = total + _kl_diag(w, lw, tw, tlw, m) + _kl_diag(b, lb, tb, tlb, m)
        return total

    def mixture_kl_bound(self, components: Sequence[StackedPosterior]) -> torch.Tensor:
        """Upper bound on KL(q_k ‖ (1/C) Σ_c p_{k,c}) per model: (M,).

        Jensen with optimal responsibilities φ_c ∝ exp(−KL(q ‖ p_c)) gives
        −log Σ_c (1/C) exp(−KL(q ‖ p_c)); exact for C = 1, at most min_c KL_c + log C.
        """
        kls = torch.stack([self.kl_to(c) for c in components])  # (C, M)
        return -(torch.logsumexp(-kls, dim=0) - math.log(len(components)))


def select(post: StackedPosterior, index: torch.Tensor | Sequence[int]) -> StackedPosterior:
    """The posteriors of the models `index` (in that order), as a new stack."""
    idx = torch.as_tensor(index, dtype=torch.long)
    return [tuple(t.index_select(0, idx.to(t.device)) for t in layer) for layer in post]


def concat(posts: Sequence[StackedPosterior]) -> StackedPosterior:
    """Stack several `StackedPosterior`s of the same architecture along the model axis."""
    return [tuple(torch.cat([p[i][j] for p in posts]) for j in range(4))
            for i in range(len(posts[0]))]


@torch.no_grad()
def mean_probabilities(post: StackedPosterior, x: torch.Tensor, act: str = "relu",
                       batch_size: int = 10000) -> torch.Tensor:
    """Softmax outputs of each model's posterior-mean network on shared x: (M, N, C)."""
    f = activation(act)
    out = []
    for s in range(0, len(x), batch_size):
        h = x[s: s + batch_size].expand(post[0][0].shape[0], -1, -1)
        for i, (w, _, b, _) in enumerate(post):
            h = torch.bmm(h, w) + b
            if i < len(post) - 1:
                h = f(h)
        out.append(torch.softmax(h, dim=-1))
    return torch.cat(out, dim=1)
