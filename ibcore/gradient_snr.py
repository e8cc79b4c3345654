"""Signal-to-noise ratio of per-sample gradients, layer by layer.

Saxe et al. (ICLR 2018), App. I, Eqs. 26–27 (after Shwartz-Ziv & Tishby 2017, §3.4): for a
weight matrix W of layer l and per-sample gradients g_μ = ∂L_μ/∂W over a data set,

    mean_l = ‖ ⟨g_μ⟩_μ ‖_F          (Eq. 26)
    std_l  = ‖ std_μ(g_μ) ‖_F       (Eq. 27, element-wise standard deviation)

and the signal-to-noise ratio is mean_l / std_l. Per-sample gradients are computed exactly
with `torch.func.vmap` over `torch.func.grad`, not by finite batches.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, grad, vmap


def per_sample_grads(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    chunk_size: int | None = 1024,
) -> dict[str, torch.Tensor]:
    """Gradient of the loss of each sample with respect to every named parameter.

    `loss_fn(output, target)` receives a batch of one and must return a scalar. Returns
    ``{name: tensor of shape (n_samples, *param.shape)}``.
    """
    params = {k: v.detach() for k, v in model.named_parameters()}

    def sample_loss(p: dict[str, torch.Tensor], xi: torch.Tensor, yi: torch.Tensor) -> torch.Tensor:
        out = functional_call(model, p, (xi.unsqueeze(0),))
        return loss_fn(out, yi.unsqueeze(0))

    return vmap(grad(sample_loss), in_dims=(None, 0, 0), chunk_size=chunk_size)(params, x, y)


def gradient_moments(grads: dict[str, torch.Tensor]) -> dict[str, tuple[float, float]]:
    """Per parameter: (‖mean gradient‖, ‖element-wise std of the gradient‖) — Eqs. 26–27."""
    out = {}
    for name, g in grads.items():
        flat = g.reshape(g.shape[0], -1).double()
        mean_norm = flat.mean(dim=0).norm().item()
        std_norm = flat.std(dim=0, correction=0).norm().item()
        out[name] = (mean_norm, std_norm)
    return out


def layer_snr(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    weight_names: list[str] | None = None,
) -> dict[str, list[float]]:
    """Gradient mean norm, std norm and their ratio for each weight matrix, in layer order.

    `weight_names` defaults to every parameter whose name ends in "weight" (biases excluded,
    as in the paper's per-layer plots). Returns ``{"mean": [...], "std": [...], "snr": [...]}``.
    """
    grads = per_sample_grads(model, loss_fn, x, y)
    names = weight_names or [k for k in grads if k.endswith("weight")]
    moments = gradient_moments({k: grads[k] for k in names})
    mean = [moments[k][0] for k in names]
    std = [moments[k][1] for k in names]
    # a layer whose gradient is exactly constant over samples has infinite SNR; report the
    # ratio against a tiny floor so the metric stays finite (JSON cannot hold inf)
    snr = [m / max(s, 1e-30) for m, s in zip(mean, std)]
    return {"mean": mean, "std": std, "snr": snr}


def snr_log10_drop(snr: np.ndarray, late_frac: float = 0.25) -> np.ndarray:
    """Size of the SNR drop per layer in decades: log10(max) − log10(mean of the late epochs).

    `snr` has shape (layers, logged epochs); "late" is the last `late_frac` of the logged
    epochs. Saxe et al. Figs. 20–21 show a step from a high-SNR (drift) phase to a low-SNR
    (diffusion) phase; this number is the height of that step.
    """
    s = np.asarray(snr, dtype=float)
    late = max(1, int(round(late_frac * s.shape[1])))
    return np.log10(s.max(axis=1)) - np.log10(s[:, -late:].mean(axis=1))
