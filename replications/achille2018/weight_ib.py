"""Training with the IB Lagrangian for the weights (Achille & Soatto, JMLR 2018, eq. 6 / §4).

    L(q) = H_{p,q}(D | w) + β · KL(q(w | D) ‖ p(w)),

with the cross-entropy summed over the N training samples; we minimise the equivalent
per-sample form  mean cross-entropy + β · KL / N.  β = 1 is the variational (ELBO) bound.

Convergence criterion (the paper states none): every `window` steps we average the objective
over the window; training stops once the relative change between consecutive windows is below
`tol` (after `min_steps`), or at `max_steps`. The log-noise parameters use their own, larger
learning rate (`noise_lr`): with one shared rate the KL is still falling when the weights have
long stopped moving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from ibcore.nn.bayes import BayesMLP, split_noise_parameters, total_kl
from ibcore.train import minibatches


@dataclass(frozen=True)
class TrainResult:
    steps: int
    converged: bool
    final_rel_change: float
    objective: float


KlFn = Callable[[nn.Module], torch.Tensor]


def objective(
    model: BayesMLP, x: torch.Tensor, y: torch.Tensor, beta: float, n: int, kl_fn: KlFn = total_kl
) -> torch.Tensor:
    """Mean cross-entropy (one sampled forward pass) + β·KL/N."""
    return F.cross_entropy(model(x), y) + beta * kl_fn(model) / n


def train(
    model: BayesMLP,
    x: torch.Tensor,
    y: torch.Tensor,
    beta: float,
    generator: torch.Generator,
    lr: float = 1e-3,
    noise_lr: float = 3e-2,
    batch_size: int = 0,
    max_steps: int = 3000,
    min_steps: int = 600,
    window: int = 200,
    tol: float = 0.01,
    kl_fn: KlFn = total_kl,
) -> TrainResult:
    """Minimise the weight IB Lagrangian with Adam until the windowed objective settles.

    `kl_fn(model)` is the KL term (default: each layer's KL to its own prior).
    """
    means, noise = split_noise_parameters(model)
    opt = torch.optim.Adam([{"params": means, "lr": lr}, {"params": noise, "lr": noise_lr}])
    model.train()
    n = len(x)
    step, prev, rel, acc = 0, None, float("inf"), 0.0
    while step < max_steps:
        for idx in minibatches(n, batch_size, generator):
            loss = objective(model, x[idx], y[idx], beta, n, kl_fn)
            opt.zero_grad()
            loss.backward()
            opt.step()
            acc += loss.item()
            step += 1
            if step % window == 0:
                cur = acc / window
                acc = 0.0
                if prev is not None:
                    rel = abs(prev - cur) / max(abs(cur), 1e-8)
                    if step >= min_steps and rel < tol:
                        return TrainResult(step, True, rel, cur)
                prev = cur
            if step >= max_steps:
                break
    return TrainResult(step, False, rel, prev if prev is not None else float("nan"))


@torch.no_grad()
def sampled_error(model: BayesMLP, x: torch.Tensor, y: torch.Tensor, draws: int = 4) -> float:
    """Error of the stochastic network: independent weight noise per example (local
    reparameterisation), averaged over `draws` passes — the Gibbs classifier's error."""
    was = model.training
    model.train()
    wrong = sum((model(x).argmax(1) != y).float().mean().item() for _ in range(draws))
    model.train(was)
    return wrong / draws
