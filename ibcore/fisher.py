"""Trace of the Fisher information of the weights, estimated on a data sample.

Achille, Rovere & Soatto (ICLR 2019, "Critical Learning Periods in Deep Networks", §3) track

    tr F(w) = E_{x ~ Q̂} E_{y ~ p_w(y|x)} ‖∇_w log p_w(y | x)‖²,

with x from the empirical (training) distribution Q̂ and y from the network's own output
distribution — "empirical" refers to x. We take the expectation over y exactly (a sum over the
classes weighted by p_w(y|x)), which removes the sampling noise of drawing y. The variant with
the observed labels in place of y ~ p_w ("true-label" or gradient-outer-product Fisher) is
available as `labels="true"`; it differs from tr F away from a well-specified optimum.

Per-example gradients come from `torch.func` (vmap over `grad` of a functional call).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call, grad, vmap
from torch.nn import functional as F


def _per_example_sq_norms(
    model: nn.Module, params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor
) -> torch.Tensor:
    """‖∇_w log p_w(y_i | x_i)‖² for each i."""

    def log_p(p: dict[str, torch.Tensor], xi: torch.Tensor, yi: torch.Tensor) -> torch.Tensor:
        logits = functional_call(model, p, (xi.unsqueeze(0),))
        return F.log_softmax(logits, dim=1)[0].gather(0, yi.unsqueeze(0)).squeeze(0)

    grads = vmap(grad(log_p), in_dims=(None, 0, 0))(params, x, y)
    return sum(g.reshape(len(x), -1).pow(2).sum(1) for g in grads.values())


def fisher_trace(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor | None = None,
    labels: str = "model",
    chunk: int = 64,
) -> float:
    """tr F estimated on the examples `x` (mean over examples; sum over all parameters).

    labels: "model" — exact expectation over y ~ p_w(y|x) (Achille et al.'s Fisher);
            "true" — the observed labels `y` (required then).
    The model is evaluated as it is (call `model.eval()` first for a deterministic network).
    """
    if labels not in ("model", "true"):
        raise ValueError(f"labels must be 'model' or 'true', got {labels!r}")
    if labels == "true" and y is None:
        raise ValueError("labels='true' needs y")
    params = {k: v.detach() for k, v in model.named_parameters() if v.requires_grad}
    total = 0.0
    for start in range(0, len(x), chunk):
        xb = x[start : start + chunk]
        if labels == "true":
            total += _per_example_sq_norms(model, params, xb, y[start : start + chunk]).sum().item()
            continue
        with torch.no_grad():
            probs = F.softmax(model(xb), dim=1)
        for c in range(probs.shape[1]):
            yc = torch.full((len(xb),), c, dtype=torch.long)
            total += (probs[:, c] * _per_example_sq_norms(model, params, xb, yc)).sum().item()
    return total / len(x)
