"""Weight initialisers for MLPs: Xavier, He, LSUV and the IBCI neuron campaign.

- Xavier (Glorot & Bengio, AISTATS 2010): W ~ N(0, 2 / (fan_in + fan_out)).
- He (He et al., ICCV 2015): W ~ N(0, 2 / fan_in), the ReLU gain.
- LSUV (Mishkin & Matas, ICLR 2016, Alg. 1): orthonormal rows, then each layer in turn is
  rescaled until its output variance on one batch is 1 (within `tol`, at most `max_iter` tries).
- IBCI (Mao et al., CIKM 2021, §3, Alg. 1): layer by layer, a pool of candidate neurons drawn
  from the base initialiser is scored on the training inputs propagated through the layers
  already chosen, and neurons are elected greedily by score × the fraction of their weight
  vector orthogonal to the neurons already elected (Gram–Schmidt). The score mixes a
  target-information criterion (between-class minus within-class variance of the neuron's
  response, §3.2 "TIE") and an input-information criterion (the neuron's response variance, its
  share of tr Σ, §3.1 "IIM"): score = α · TIE + (1 − α) · IIM. α = 1 gives the TIE ablation,
  α = 0 the IIM ablation (Table 2).

Biases are zero everywhere, and the same zero bias is used when scoring candidates (the public
IBCI code scores with one bias and then sets another; we do not). Candidate standard deviations
use the fans of the layer being filled (the public code takes one of them from the wrong layer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

BASE_INITS = ("xavier", "he")


def base_std(kind: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the normal Xavier or He initialiser for a (fan_out × fan_in) layer."""
    stds = {"xavier": math.sqrt(2.0 / (fan_in + fan_out)), "he": math.sqrt(2.0 / fan_in)}
    try:
        return stds[kind]
    except KeyError:
        raise ValueError(f"unknown base initialiser {kind!r}; choose from {BASE_INITS}") from None


def draw_weights(
    kind: str, fan_in: int, fan_out: int, n: int, generator: torch.Generator
) -> torch.Tensor:
    """`n` weight rows (n × fan_in) from the base initialiser of a fan_in → fan_out layer."""
    std = base_std(kind, fan_in, fan_out)
    return torch.randn(n, fan_in, generator=generator) * std


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


@torch.no_grad()
def init_base(model: nn.Module, kind: str, generator: torch.Generator) -> None:
    """Xavier- or He-normal weights and zero biases for every linear layer of `model`."""
    for layer in linear_layers(model):
        fan_out, fan_in = layer.weight.shape
        layer.weight.copy_(draw_weights(kind, fan_in, fan_out, fan_out, generator))
        if layer.bias is not None:
            layer.bias.zero_()


@torch.no_grad()
def lsuv(
    model: nn.Module,
    batch: torch.Tensor,
    generator: torch.Generator,
    act: nn.Module | None = None,
    tol: float = 0.1,
    max_iter: int = 10,
) -> list[float]:
    """Layer-sequential unit-variance init (Mishkin & Matas 2016, Alg. 1), in place.

    Each layer's weights start orthonormal; its pre-activation output on `batch` is then
    divided by its standard deviation until |Var − 1| < tol or `max_iter` rescalings were made.
    Hidden layers feed the next one through `act` (ReLU by default). Returns the final output
    variance of each layer.
    """
    act = act if act is not None else nn.ReLU()
    layers = linear_layers(model)
    h = batch
    variances = []
    for i, layer in enumerate(layers):
        nn.init.orthogonal_(layer.weight, generator=generator)
        if layer.bias is not None:
            layer.bias.zero_()
        out = layer(h)
        for _ in range(max_iter):
            var = out.var().item()
            if abs(var - 1.0) < tol:
                break
            layer.weight.div_(math.sqrt(var))
            out = layer(h)
        variances.append(out.var().item())
        h = act(out) if i < len(layers) - 1 else out
    return variances


def class_variances(
    responses: torch.Tensor, labels: torch.Tensor, n_classes: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Between- and within-class variance of each column of `responses` (n × k).

    S_B = Σ_c p_c (μ_c − μ)², S_W = Σ_c p_c Var(r | y = c), with p_c the class frequencies;
    S_B + S_W is the column's total (population) variance.
    """
    onehot = torch.nn.functional.one_hot(labels, n_classes).to(responses.dtype)  # n × C
    counts = onehot.sum(0)  # C
    present = counts > 0
    onehot, counts = onehot[:, present], counts[present]
    p = counts / counts.sum()
    means = (onehot.T @ responses) / counts[:, None]  # C × k
    sq_means = (onehot.T @ responses**2) / counts[:, None]
    grand = p @ means
    between = p @ (means - grand) ** 2
    within = p @ (sq_means - means**2).clamp_min(0.0)
    return between, within


def minmax(v: torch.Tensor) -> torch.Tensor:
    """Rescale to [0, 1] over the candidate pool (constant vectors map to 1)."""
    span = v.max() - v.min()
    return torch.ones_like(v) if span <= 0 else (v - v.min()) / span


def candidate_scores(
    responses: torch.Tensor, labels: torch.Tensor, n_classes: int, alpha: float
) -> dict[str, torch.Tensor]:
    """IBCI scores of candidate neurons from their responses (n × k) on the scoring set.

    tie = S_B − S_W (target-related information, Mao et al. §3.2), iim = S_B + S_W = Var
    (input information, §3.1). The two are on different scales, so each is min-max normalised
    over the pool before mixing: score = α · tie_n + (1 − α) · iim_n, in [0, 1].
    """
    between, within = class_variances(responses, labels, n_classes)
    tie, iim = between - within, between + within
    score = alpha * minmax(tie) + (1.0 - alpha) * minmax(iim)
    return {"tie": tie, "iim": iim, "score": score}


@dataclass
class Campaign:
    """The outcome of one layer's campaign."""

    weights: torch.Tensor  # width × fan_in, the elected (orthogonalised) rows
    chosen: np.ndarray  # pool index of each elected neuron, in election order
    group: np.ndarray  # Gram–Schmidt group of each elected neuron
    scores: np.ndarray  # score of every candidate in the pool
    tie: np.ndarray
    iim: np.ndarray


def elect(
    candidates: torch.Tensor, scores: torch.Tensor, width: int
) -> tuple[torch.Tensor, list[int], list[int]]:
    """Greedy Gram–Schmidt campaign (Mao et al., Alg. 1).

    At each step the candidate with the largest score × ‖orthogonal residual‖ / ‖w‖ wins; its
    residual, rescaled to the candidate's own norm (so the base initialiser's scale is kept), is
    the elected row, and every remaining residual loses its component along it. A fan_in-dim
    space holds at most fan_in orthogonal rows, so after fan_in elections a new group starts from
    the raw candidates again.
    """
    k, fan_in = candidates.shape
    if width > k:
        raise ValueError(f"cannot elect {width} neurons from a pool of {k}")
    norms = candidates.norm(dim=1).clamp_min(1e-12)
    residual = candidates.clone()
    available = torch.ones(k, dtype=torch.bool)
    rows, chosen, groups = [], [], []
    group, in_group = 0, 0
    for _ in range(width):
        if in_group == fan_in:  # this group spans the input space: start a fresh basis
            group, in_group = group + 1, 0
            residual = candidates.clone()
        value = scores * residual.norm(dim=1) / norms
        value[~available] = -math.inf
        best = int(value.argmax())
        q = residual[best] / residual[best].norm().clamp_min(1e-12)
        rows.append(q * norms[best])
        chosen.append(best)
        groups.append(group)
        available[best] = False
        residual -= (residual @ q)[:, None] * q[None, :]
        in_group += 1
    return torch.stack(rows), chosen, groups


@torch.no_grad()
def campaign_layer(
    inputs: torch.Tensor,
    labels: torch.Tensor,
    n_classes: int,
    width: int,
    kind: str,
    alpha: float,
    generator: torch.Generator,
    n_candidates: int | None = None,
    act: nn.Module | None = None,
) -> Campaign:
    """Fill one fan_in → width layer by campaign; `inputs` are the layer's inputs (n × fan_in)."""
    act = act if act is not None else nn.ReLU()
    fan_in = inputs.shape[1]
    k = n_candidates if n_candidates is not None else min(5 * width, 1000)
    candidates = draw_weights(kind, fan_in, width, k, generator)
    s = candidate_scores(act(inputs @ candidates.T), labels, n_classes, alpha)
    rows, chosen, groups = elect(candidates, s["score"], width)
    return Campaign(
        rows,
        np.asarray(chosen),
        np.asarray(groups),
        s["score"].numpy(),
        s["tie"].numpy(),
        s["iim"].numpy(),
    )


@torch.no_grad()
def ibci(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    kind: str,
    alphas: list[float],
    generator: torch.Generator,
    n_classes: int = 10,
    act: nn.Module | None = None,
) -> list[Campaign]:
    """IBCI, in place: each hidden layer by campaign with its α, the output layer by `kind`.

    `alphas` has one entry per hidden layer (α = 1: TIE only, α = 0: IIM only). The output layer
    maps onto the labels directly and is drawn from the base initialiser, as in the paper.
    """
    act = act if act is not None else nn.ReLU()
    layers = linear_layers(model)
    if len(alphas) != len(layers) - 1:
        raise ValueError(f"need one alpha per hidden layer ({len(layers) - 1}), got {alphas}")
    init_base(model, kind, generator)
    campaigns = []
    h = x
    for layer, alpha in zip(layers[:-1], alphas, strict=True):
        c = campaign_layer(h, y, n_classes, layer.out_features, kind, alpha, generator, act=act)
        layer.weight.copy_(c.weights)
        campaigns.append(c)
        h = act(layer(h))
    return campaigns
