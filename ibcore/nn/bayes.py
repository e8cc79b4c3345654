"""Bayesian linear layers for the information in the weights.

Achille & Soatto (JMLR 2018, "Emergence of Invariance and Disentangling in Deep
Representations", §4) train a posterior q(w | D) over the weights by minimising the IB
Lagrangian for the weights

    L(q) = H_{p,q}(D | w) + β · KL(q(w | D) ‖ p(w)),

with the cross-entropy summed over the N training samples. Two posterior/prior pairs:

* `MeanFieldGaussianLinear` — q = N(μ, σ²) per weight, prior N(0, σ_p²); the KL is exact.
* `LogUniformLinear` — multiplicative noise w = ŵ·ε, ε ~ N(1, α), log-uniform prior
  p(|w|) ∝ 1/|w|. The KL depends on α only (Achille & Soatto Prop. 4.1:
  Ĩ = −½ Σ log α + C); we use the numerical approximation of Molchanov, Ashukha & Vetrov
  (ICML 2017, "Variational Dropout Sparsifies Deep Neural Networks", eq. 14).

Both layers sample with the local reparameterisation trick (Kingma, Salimans & Welling,
NeurIPS 2015, "Variational Dropout and the Local Reparameterization Trick", §2.3): instead of
one weight sample per minibatch, the pre-activation of every example is drawn from its exact
Gaussian marginal, which has the same mean and variance but far lower gradient variance.

Sampling uses torch's global generator (seeded per run by `ibcore.seeding.seed_everything`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import torch
from torch import nn
from torch.nn import functional as F

from ibcore.nn.mlp import MLP

# Molchanov et al. 2017, eq. 14: −KL(q ‖ p) ≈ k1·σ(k2 + k3·log α) − ½·log(1 + 1/α) − k1.
MOLCHANOV_K = (0.63576, 1.87320, 1.48695)

# Cap on log α for the log-uniform layer. Molchanov et al. clip log α ≤ 8 in their
# implementation; beyond that the weight is pure noise and the KL approximation is flat (≈ 0).
LOG_ALPHA_MAX = 8.0
LOG_ALPHA_MIN = -12.0  # keeps α² θ² > 0 in float32 without limiting any realistic fit


class BayesianLayer(nn.Module):
    """Marker base class: a layer with a posterior over its weights and a `kl()` to its prior."""

    def kl(self) -> torch.Tensor:  # pragma: no cover - overridden
        raise AttributeError(f"{type(self).__name__} must define kl()")


def _gaussian_kl(
    mu: torch.Tensor, log_sigma: torch.Tensor, prior_mu: torch.Tensor, prior_log_sigma: torch.Tensor
) -> torch.Tensor:
    """Σ KL(N(μ, σ²) ‖ N(m, s²)) over all elements, in nats (closed form)."""
    var_ratio = torch.exp(2.0 * (log_sigma - prior_log_sigma))
    mean_term = (mu - prior_mu) ** 2 * torch.exp(-2.0 * prior_log_sigma)
    return 0.5 * (var_ratio + mean_term - 1.0).sum() + (prior_log_sigma - log_sigma).sum()


def _kaiming_uniform_(weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    """nn.Linear's default initialisation, so Bayesian nets start where plain ones do."""
    nn.init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        bound = 1.0 / math.sqrt(weight.shape[1])
        nn.init.uniform_(bias, -bound, bound)


class MeanFieldGaussianLinear(BayesianLayer):
    """Linear layer with a factorised Gaussian posterior N(μ, σ²) on every weight and bias.

    σ = exp(log_sigma); `init_log_sigma` sets every log σ at the start (small noise, so the
    network begins close to its deterministic counterpart). Prior: N(0, prior_sigma²).

    Forward: a sample via the local reparameterisation trick when `self.training` or
    `sample=True`; the posterior mean otherwise (`sample=False` forces the mean).

    Flat layout used by `sample_weights`, `posterior_params` and `kl_to`: weight (row-major,
    shape (out, in)) followed by bias (out,) when the layer has one.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        prior_sigma: float = 1.0,
        init_log_sigma: float = -5.0,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if prior_sigma <= 0:
            raise ValueError(f"prior_sigma must be positive, got {prior_sigma}")
        self.in_features = in_features
        self.out_features = out_features
        self.prior_sigma = float(prior_sigma)
        self.weight_mu = nn.Parameter(torch.empty(out_features, in_features))
        shape = (out_features, in_features)
        self.weight_log_sigma = nn.Parameter(torch.full(shape, init_log_sigma))
        if bias:
            self.bias_mu = nn.Parameter(torch.empty(out_features))
            self.bias_log_sigma = nn.Parameter(torch.full((out_features,), init_log_sigma))
        else:
            self.register_parameter("bias_mu", None)
            self.register_parameter("bias_log_sigma", None)
        _kaiming_uniform_(self.weight_mu.data, None if self.bias_mu is None else self.bias_mu.data)

    @property
    def has_bias(self) -> bool:
        return self.bias_mu is not None

    @property
    def n_params(self) -> int:
        return self.weight_mu.numel() + (self.out_features if self.has_bias else 0)

    def forward(self, x: torch.Tensor, sample: bool | None = None) -> torch.Tensor:
        mean = F.linear(x, self.weight_mu, self.bias_mu)
        if not (self.training if sample is None else sample):
            return mean
        # Local reparameterisation: each output unit is a sum of independent Gaussians, so
        # it is Gaussian with mean x·μ and variance x²·σ² (+ σ_b²).
        var = F.linear(x * x, torch.exp(2.0 * self.weight_log_sigma))
        if self.has_bias:
            var = var + torch.exp(2.0 * self.bias_log_sigma)
        return mean + torch.sqrt(var + 1e-16) * torch.randn_like(mean)

    def posterior_params(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ), each flat in the layer's layout (weight then bias)."""
        if not self.has_bias:
            return self.weight_mu.flatten(), self.weight_log_sigma.flatten()
        return (
            torch.cat([self.weight_mu.flatten(), self.bias_mu]),
            torch.cat([self.weight_log_sigma.flatten(), self.bias_log_sigma]),
        )

    def sample_weights(self) -> torch.Tensor:
        """One draw w ~ q(w), flat (weight then bias)."""
        mu, log_sigma = self.posterior_params()
        return mu + torch.exp(log_sigma) * torch.randn_like(mu)

    def kl(self) -> torch.Tensor:
        """KL(q ‖ N(0, prior_sigma²)) in nats, exact."""
        mu, log_sigma = self.posterior_params()
        zero = torch.zeros((), dtype=mu.dtype)
        return _gaussian_kl(mu, log_sigma, zero, zero + math.log(self.prior_sigma))

    def kl_to(
        self,
        prior_mu: torch.Tensor | Mapping[str, torch.Tensor],
        prior_log_sigma: torch.Tensor | Mapping[str, torch.Tensor],
    ) -> torch.Tensor:
        """KL(q ‖ N(prior_mu, exp(prior_log_sigma)²)) in nats, exact, for a diagonal prior.

        Each prior argument is either a flat tensor in the layer's layout (length `n_params`,
        e.g. from another layer's `posterior_params()`), a tensor broadcastable to it (a
        scalar), or a dict {"weight": (out, in), "bias": (out,)}.
        """
        mu, log_sigma = self.posterior_params()
        return _gaussian_kl(mu, log_sigma, self._flat(prior_mu), self._flat(prior_log_sigma))

    def _flat(self, value: torch.Tensor | Mapping[str, torch.Tensor]) -> torch.Tensor:
        if isinstance(value, Mapping):
            parts = [torch.as_tensor(value["weight"]).reshape(-1)]
            if self.has_bias:
                parts.append(torch.as_tensor(value["bias"]).reshape(-1))
            value = torch.cat(parts)
        value = torch.as_tensor(value, dtype=self.weight_mu.dtype)
        if value.dim() > 0 and value.numel() != self.n_params:
            raise ValueError(f"prior has {value.numel()} entries, layer has {self.n_params}")
        return value


def molchanov_kl(log_alpha: torch.Tensor) -> torch.Tensor:
    """Approximate Σ KL(q ‖ log-uniform) for multiplicative noise N(1, α), in nats.

    Molchanov et al. 2017, eq. 14 (fit to the exact KL, accurate to ~0.01 nats per weight);
    it depends on α only, as Achille & Soatto Prop. 4.1 shows for the log-uniform prior.
    """
    k1, k2, k3 = MOLCHANOV_K
    neg_kl = k1 * torch.sigmoid(k2 + k3 * log_alpha) - 0.5 * F.softplus(-log_alpha) - k1
    return -neg_kl.sum()


class LogUniformLinear(BayesianLayer):
    """Linear layer with multiplicative Gaussian weight noise w = ŵ·ε, ε ~ N(1, α).

    Parameters: ŵ (`weight`, shape (out, in)), log α per weight (`log_alpha`, initialised to
    `init_log_alpha`), deterministic bias. α is capped: log α ∈ [LOG_ALPHA_MIN, log_alpha_max]
    (default max 8, Molchanov et al.'s clip) by clamping in the forward pass and the KL.
    Prior: log-uniform on |w|, KL from `molchanov_kl` (Molchanov et al. 2017, eq. 14).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        init_log_alpha: float = -8.0,
        log_alpha_max: float = LOG_ALPHA_MAX,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.log_alpha_max = float(log_alpha_max)
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        self.log_alpha_raw = nn.Parameter(torch.full((out_features, in_features), init_log_alpha))
        self.bias = nn.Parameter(torch.empty(out_features)) if bias else None
        _kaiming_uniform_(self.weight.data, None if self.bias is None else self.bias.data)

    @property
    def log_alpha(self) -> torch.Tensor:
        """log α after the cap."""
        return self.log_alpha_raw.clamp(LOG_ALPHA_MIN, self.log_alpha_max)

    def forward(self, x: torch.Tensor, sample: bool | None = None) -> torch.Tensor:
        mean = F.linear(x, self.weight, self.bias)
        if not (self.training if sample is None else sample):
            return mean
        # Var(ŵ·ε) = α ŵ²; local reparameterisation as in MeanFieldGaussianLinear.
        var = F.linear(x * x, torch.exp(self.log_alpha) * self.weight**2)
        return mean + torch.sqrt(var + 1e-16) * torch.randn_like(mean)

    def sample_weights(self) -> torch.Tensor:
        """One draw of the (flat) weight matrix ŵ·ε; the bias is deterministic."""
        eps = 1.0 + torch.exp(0.5 * self.log_alpha) * torch.randn_like(self.weight)
        return (self.weight * eps).flatten()

    def posterior_params(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(ŵ, log σ) flat, with σ = √α·|ŵ| the posterior standard deviation of each weight."""
        log_sigma = 0.5 * self.log_alpha + torch.log(self.weight.abs() + 1e-30)
        return self.weight.flatten(), log_sigma.flatten()

    def kl(self) -> torch.Tensor:
        return molchanov_kl(self.log_alpha)


def bayesian_layers(model: nn.Module) -> Iterator[BayesianLayer]:
    """Every Bayesian layer in `model`, in module order."""
    return (m for m in model.modules() if isinstance(m, BayesianLayer))


def total_kl(model: nn.Module) -> torch.Tensor:
    """Σ over the Bayesian layers of KL(q ‖ prior), in nats (a differentiable scalar)."""
    kls = [layer.kl() for layer in bayesian_layers(model)]
    if not kls:
        raise ValueError(f"{type(model).__name__} has no Bayesian layers")
    return torch.stack(kls).sum()


NOISE_PARAM_NAMES = ("weight_log_sigma", "bias_log_sigma", "log_alpha_raw")


def split_noise_parameters(model: nn.Module) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
    """(mean parameters, noise parameters) — for a larger learning rate on the noise.

    Achille & Soatto's weight posterior only reaches equilibrium if the log-noise parameters
    move fast; with one shared learning rate training ends long before the KL has converged.
    """
    means, noise = [], []
    for name, p in model.named_parameters():
        (noise if name.rsplit(".", 1)[-1] in NOISE_PARAM_NAMES else means).append(p)
    return means, noise


LAYERS = {"gaussian": MeanFieldGaussianLinear, "loguniform": LogUniformLinear}


class BayesMLP(MLP):
    """`ibcore.nn.mlp.MLP` with Bayesian layers: `widths[0] → … → widths[-1]`.

    `layer` is "gaussian" (`MeanFieldGaussianLinear`) or "loguniform" (`LogUniformLinear`);
    `layer_kw` go to every layer. It samples weights in training mode and uses the posterior
    mean in eval mode (there is no dropout or batch-norm, so `model.train()` is a safe way to
    get sampled predictions at test time). `forward_with_activations` is inherited.
    """

    def __init__(
        self, widths: Sequence[int], layer: str = "gaussian", act: str = "relu", **layer_kw: float
    ) -> None:
        super().__init__(widths, act)
        try:
            cls = LAYERS[layer]
        except KeyError:
            raise ValueError(f"unknown layer {layer!r}; choose from {sorted(LAYERS)}") from None
        pairs = zip(self.widths[:-1], self.widths[1:], strict=True)
        self.layers = nn.ModuleList(cls(a, b, **layer_kw) for a, b in pairs)

    def kl(self) -> torch.Tensor:
        """Σ KL(q ‖ prior) over the layers, in nats."""
        return total_kl(self)
