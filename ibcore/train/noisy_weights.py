"""Stacked MLPs with a posterior over their weights, for `fit_stacked` with a KL term.

M networks ``widths[0] → … → widths[-1]`` held as stacked tensors (as `StackedMLP`), whose
weights are random: a posterior q(w | D) per model, trained by minimising the IB Lagrangian for
the weights (Achille & Soatto, JMLR 2018, eq. 6), per sample

    mean cross-entropy + β_k · KL(q_k ‖ p) / N            (model k has its own β_k).

The KL enters `fit_stacked` as the per-model `extra_loss` (`kl_term`). Three posteriors
(`noise`):

* ``"lognormal"`` — multiplicative log-normal noise w = ŵ·ε, log ε ~ N(−α/2, α) (so E ε = 1),
  with the log-uniform prior p(log |w|) = const (Achille & Soatto §4, Prop. 4.1; Kingma,
  Salimans & Welling 2015, §3.3). In log |w| the posterior is a Gaussian of variance α and the
  prior is flat, so the KL is exactly −½ log α per weight up to the (infinite) constant of the
  improper prior; we fix the constant so that a weight at the noise cap carries 0 nats:
  KL = ½ Σ (log α_max − log α). The sum of log-normal terms is not Gaussian, so the local
  reparameterisation trick does not apply: the weights themselves are sampled, `draws`
  independent weight draws per step, each used by its own slice of the batch.
* ``"gaussian"`` — multiplicative Gaussian noise ε ~ N(1, α), the same prior, KL by the
  approximation of Molchanov, Ashukha & Vetrov (ICML 2017, eq. 14), sampled by the local
  reparameterisation trick (per-example pre-activations), as `ibcore.nn.bayes.LogUniformLinear`.
* ``"mean_field"`` — q = N(μ, σ²) on every weight and bias, prior N(w₀, σ_p²) centred at the
  initialisation w₀ (data-independent, as a PAC-Bayes prior must be), exact KL, local
  reparameterisation.

Biases are deterministic (no KL) for the two multiplicative-noise posteriors, as in
`LogUniformLinear`. Noise parameters are stored scaled, log α = `noise_scale` · s (log σ
likewise): under Adam a step on s is ≈ lr whatever the gradient's size, so log α moves
`noise_scale` times faster than the means — one optimiser, a separate effective learning rate
for the noise (eps is scaled by 1/noise_scale too, negligible at 1e-8).

Sampling uses one `torch.Generator` for the whole stack, so a model's noise depends on the
stack it trains in (the bitwise grouping-invariance of `fit_stacked` does not extend to
these models); callers fix the stack in their config.

`Convergence` is a windowed stopping rule for such a stack: it records each model's objective,
snapshots each model when its window means settle, and stops `fit_stacked` (by raising
`Converged`) once every model has settled; `restore` puts every model back at its snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from ibcore.nn.bayes import LOG_ALPHA_MIN, MOLCHANOV_K
from ibcore.train.batched import Step
from ibcore.train.losses import cross_entropy
from ibcore.train.stacked import StackedMLP

NOISES = ("lognormal", "gaussian", "mean_field")


class StackedNoisyMLP(nn.Module):
    """M noisy-weight MLPs; `forward_with_activations` as `StackedMLP` (samples when `sample`).

    `weights[l]` (M, n_in, n_out) are the means ŵ (or μ); `noise_raw[l]` the scaled log α (or
    log σ) of the same shape; `biases[l]` (M, 1, n_out) and, for "mean_field", `bias_noise_raw`.
    """

    def __init__(
        self,
        base: StackedMLP,
        noise: str,
        init_log_noise: float,
        noise_scale: float = 1.0,
        log_alpha_max: float = 8.0,
        prior_sigma: float = 0.1,
        draws: int = 1,
        generator: torch.Generator | None = None,
    ) -> None:
        super().__init__()
        if noise not in NOISES:
            raise ValueError(f"noise must be one of {NOISES}, got {noise!r}")
        self.noise, self.noise_scale, self.draws = noise, float(noise_scale), int(draws)
        self.log_alpha_max, self.prior_sigma = float(log_alpha_max), float(prior_sigma)
        self.act, self.act_name = base.act, base.act_name
        self.weights = nn.ParameterList(nn.Parameter(w.detach().clone()) for w in base.weights)
        self.biases = nn.ParameterList(nn.Parameter(b.detach().clone()) for b in base.biases)
        raw = init_log_noise / self.noise_scale
        self.noise_raw = nn.ParameterList(
            nn.Parameter(torch.full_like(w, raw)) for w in base.weights
        )
        if noise == "mean_field":
            self.bias_noise_raw = nn.ParameterList(
                nn.Parameter(torch.full_like(b, raw)) for b in base.biases
            )
            self.prior_w = [w.detach().clone() for w in base.weights]
            self.prior_b = [b.detach().clone() for b in base.biases]
        self.generator = generator
        self.sample = True

    @property
    def n_models(self) -> int:
        return self.weights[0].shape[0]

    def log_noise(self, i: int) -> torch.Tensor:
        """log α of layer i (capped to [LOG_ALPHA_MIN, log_alpha_max]), or log σ (mean field)."""
        value = self.noise_scale * self.noise_raw[i]
        if self.noise == "mean_field":
            return value
        return value.clamp(LOG_ALPHA_MIN, self.log_alpha_max)

    def _randn(self, shape: torch.Size | tuple[int, ...], like: torch.Tensor) -> torch.Tensor:
        return torch.randn(shape, generator=self.generator, dtype=like.dtype, device=like.device)

    def _layer(self, i: int, h: torch.Tensor) -> torch.Tensor:
        w, b = self.weights[i], self.biases[i]
        if not self.sample:
            return torch.bmm(h, w) + b
        if self.noise == "lognormal":
            return self._lognormal_layer(i, h, w, b)
        mean = torch.bmm(h, w) + b
        if self.noise == "gaussian":  # Var(ŵ ε) = α ŵ²
            var = torch.bmm(h * h, torch.exp(self.log_noise(i)) * w * w)
        else:  # mean field: Var = σ_w² (per input²) + σ_b²
            var = torch.bmm(h * h, torch.exp(2 * self.log_noise(i)))
            var = var + torch.exp(2 * self.noise_scale * self.bias_noise_raw[i])
        return mean + torch.sqrt(var + 1e-16) * self._randn(mean.shape, mean)

    def _lognormal_layer(
        self, i: int, h: torch.Tensor, w: torch.Tensor, b: torch.Tensor
    ) -> torch.Tensor:
        """`draws` weight samples per model; batch slice d uses draw d."""
        m, batch, n_in = h.shape
        k = self.draws if batch % self.draws == 0 else 1
        log_alpha = self.log_noise(i)
        alpha = torch.exp(log_alpha)
        eta = self._randn((m, k, *w.shape[1:]), w) * torch.exp(0.5 * log_alpha).unsqueeze(1)
        w_sample = (w.unsqueeze(1) * torch.exp(eta - 0.5 * alpha.unsqueeze(1))).reshape(
            m * k, *w.shape[1:]
        )
        hk = h.reshape(m * k, batch // k, n_in)
        return torch.bmm(hk, w_sample).reshape(m, batch, -1) + b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_activations(x)[0]

    def forward_with_activations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """x: (M, B, n_in) or (B, n_in). Returns (logits (M, B, n_out), every layer's activity)."""
        h = x.expand(self.n_models, *x.shape) if x.dim() == 2 else x
        acts = []
        last = len(self.weights) - 1
        for i in range(len(self.weights)):
            h = self._layer(i, h)
            if i < last:
                h = self.act(h)
            acts.append(h)
        return h, acts

    def kl(self) -> torch.Tensor:
        """KL(q_k ‖ p) of every model, in nats: (M,)."""
        total = torch.zeros(self.n_models, dtype=self.weights[0].dtype)
        for i in range(len(self.weights)):
            total = total + self._layer_kl(i)
        return total

    def _layer_kl(self, i: int) -> torch.Tensor:
        lg = self.log_noise(i)
        if self.noise == "lognormal":
            return 0.5 * (self.log_alpha_max - lg).sum(dim=(1, 2))
        if self.noise == "gaussian":
            return molchanov_kl_per_model(lg)
        log_p = math.log(self.prior_sigma)
        kw = gaussian_kl_per_model(self.weights[i], lg, self.prior_w[i], log_p)
        lb = self.noise_scale * self.bias_noise_raw[i]
        return kw + gaussian_kl_per_model(self.biases[i], lb, self.prior_b[i], log_p)

    def n_weights(self) -> int:
        """Weights per model that carry noise (and KL)."""
        n = sum(w[0].numel() for w in self.weights)
        return n + (sum(b[0].numel() for b in self.biases) if self.noise == "mean_field" else 0)


def molchanov_kl_per_model(log_alpha: torch.Tensor) -> torch.Tensor:
    """Molchanov et al. (2017, eq. 14) KL to the log-uniform prior, summed per model: (M,)."""
    k1, k2, k3 = MOLCHANOV_K
    neg = k1 * torch.sigmoid(k2 + k3 * log_alpha) - 0.5 * F.softplus(-log_alpha) - k1
    return -neg.flatten(1).sum(dim=1)


def gaussian_kl_per_model(
    mu: torch.Tensor, log_sigma: torch.Tensor, prior_mu: torch.Tensor, prior_log_sigma: float
) -> torch.Tensor:
    """Σ KL(N(μ, σ²) ‖ N(m, s²)) per model (closed form), in nats: (M,)."""
    var_ratio = torch.exp(2.0 * (log_sigma - prior_log_sigma))
    mean_term = (mu - prior_mu) ** 2 * math.exp(-2.0 * prior_log_sigma)
    per = 0.5 * (var_ratio + mean_term - 1.0) + (prior_log_sigma - log_sigma)
    return per.flatten(1).sum(dim=1)


class Converged(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside `fit_stacked` when every model of the stack has met its criterion."""


class Convergence:
    """The IB-Lagrangian term and a windowed stopping rule, as one `extra_loss` callback.

    Each step adds β_k · KL_k / n to model k's loss and records model k's objective
    (mean cross-entropy of the step + β_k KL_k / n). Every `window` steps the window's mean is
    compared with the previous window's: model k has converged at the first window end after
    `min_steps` where the relative change is below `tol`; its parameters are snapshotted then.
    When all models have converged, `Converged` is raised (the step is not applied); after
    `fit_stacked` returns or raises, call `restore()` so that every model holds its snapshot
    (models that never converged keep their final state).
    """

    def __init__(
        self,
        model: StackedNoisyMLP,
        betas: Sequence[float],
        n: int,
        window: int,
        tol: float,
        min_steps: int,
    ) -> None:
        self.model, self.n, self.window, self.tol, self.min_steps = model, n, window, tol, min_steps
        self.betas = torch.as_tensor(list(betas), dtype=model.weights[0].dtype)
        m = model.n_models
        if self.betas.shape != (m,):
            raise ValueError(f"need {m} betas, got {tuple(self.betas.shape)}")
        self.step = 0
        self.acc = torch.zeros(m, dtype=torch.float64)
        self.prev: torch.Tensor | None = None
        self.rel = torch.full((m,), math.inf, dtype=torch.float64)
        self.converged_at = [0] * m
        self.snapshots: dict[int, list[torch.Tensor]] = {}

    def __call__(self, step: Step) -> torch.Tensor:
        kl_term = self.betas * self.model.kl() / self.n
        with torch.no_grad():
            self.acc += (cross_entropy(step.logits, step.y) + kl_term).double()
        self.step += 1
        if self.step % self.window == 0:
            self._end_window()
        return kl_term

    @torch.no_grad()
    def _end_window(self) -> None:
        cur = self.acc / self.window
        self.acc.zero_()
        if self.prev is not None:
            self.rel = (self.prev - cur).abs() / cur.abs().clamp_min(1e-8)
            if self.step >= self.min_steps:
                for k in range(len(cur)):
                    if not self.converged_at[k] and self.rel[k] < self.tol:
                        self.converged_at[k] = self.step
                        self.snapshots[k] = [p[k].detach().clone() for p in self.model.parameters()]
        self.prev = cur
        if all(self.converged_at):
            raise Converged

    @torch.no_grad()
    def restore(self) -> None:
        """Put each converged model back at its snapshot."""
        for k, saved in self.snapshots.items():
            for p, s in zip(self.model.parameters(), saved, strict=True):
                p[k].copy_(s)

    def summary(self) -> dict[str, list]:
        """Per model: steps trained (its convergence step or the total), converged, last change."""
        return {
            "steps": [c or self.step for c in self.converged_at],
            "converged": [int(c > 0) for c in self.converged_at],
            "final_rel_change": [float(r) for r in self.rel],
        }


@torch.no_grad()
def sampled_error(
    model: StackedNoisyMLP, x: torch.Tensor, y: torch.Tensor, draws: int = 4
) -> torch.Tensor:
    """Error of every model's stochastic (Gibbs) classifier, averaged over `draws` passes: (M,).

    x (N, n_in) shared, or (M, N, n_in) with y (M, N) per model.
    """
    yy = y if y.dim() == 2 else y.expand(model.n_models, *y.shape)
    wrong = torch.zeros(model.n_models, dtype=torch.float64)
    for _ in range(draws):
        wrong += (model(x).argmax(-1) != yy).double().mean(-1)
    return wrong / draws
