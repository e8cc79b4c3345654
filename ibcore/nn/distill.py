"""Knowledge-transfer losses, one small module each.

Every module is called as `loss(student, teacher)` with the student's tensor first and the
(detached) teacher tensor second, and returns a scalar averaged over the batch. Feature
tensors are either vectors (B, C) or maps (B, C, H, W); regressors are 1×1 convolutions for
maps and linear layers for vectors, as in Ahn et al. (CVPR 2019, §3).

* `KDLoss`     — Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network".
* `FitNetLoss` — Romero et al. 2014 (ICLR 2015), "FitNets: Hints for Thin Deep Nets".
* `ATLoss`     — Zagoruyko & Komodakis 2016 (ICLR 2017), "Paying More Attention to Attention".
* `NSTLoss`    — Huang & Wang 2017, "Like What You Like: Knowledge Distill via Neuron
  Selectivity Transfer".
* `VIDLoss`    — Ahn, Hu, Damianou, Lawrence & Dai, CVPR 2019, "Variational Information
  Distillation for Knowledge Transfer".
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


def regressor(in_dim: int, out_dim: int, conv: bool, hidden: int = 0) -> nn.Module:
    """Map a student feature to the teacher's width: 1×1 convs for maps, linear for vectors.

    `hidden` > 0 inserts one hidden layer with ReLU (Ahn et al. use small 1×1-conv stacks).
    """
    layer = (lambda a, b: nn.Conv2d(a, b, kernel_size=1)) if conv else nn.Linear
    if hidden <= 0:
        return layer(in_dim, out_dim)
    return nn.Sequential(layer(in_dim, hidden), nn.ReLU(), layer(hidden, out_dim))


def _match_spatial(s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Pool a student map to the teacher's spatial size when they differ."""
    if s.dim() == 4 and s.shape[-2:] != t.shape[-2:]:
        return F.adaptive_avg_pool2d(s, t.shape[-2:])
    return s


class KDLoss(nn.Module):
    """Hinton et al. 2015: T² · KL(softmax(t/T) ‖ softmax(s/T)), batch mean.

    The T² factor keeps the soft-target gradients on the scale of the hard-label loss
    (Hinton et al. §2). Zero iff the logits agree up to a per-example constant.
    """

    def __init__(self, temperature: float = 4.0) -> None:
        super().__init__()
        self.temperature = float(temperature)

    def forward(self, student_logits: torch.Tensor, teacher_logits: torch.Tensor) -> torch.Tensor:
        t = self.temperature
        log_ps = F.log_softmax(student_logits / t, dim=1)
        log_pt = F.log_softmax(teacher_logits / t, dim=1)
        return t * t * F.kl_div(log_ps, log_pt, log_target=True, reduction="batchmean")


class FitNetLoss(nn.Module):
    """Romero et al. 2014, eq. 3: ½‖r(s) − t‖² with a learned regressor r (the "hint").

    Averaged over the batch and over the teacher's elements, so the weight λ does not scale
    with the layer size. `regressor=None` compares s and t directly (equal widths).
    """

    def __init__(self, in_dim: int, out_dim: int, conv: bool, hidden: int = 0,
                 identity: bool = False) -> None:
        super().__init__()
        self.regressor = nn.Identity() if identity else regressor(in_dim, out_dim, conv, hidden)

    def forward(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        pred = self.regressor(_match_spatial(s, t))
        return 0.5 * F.mse_loss(pred, t.reshape(pred.shape))


def attention_map(f: torch.Tensor, p: float = 2.0) -> torch.Tensor:
    """Zagoruyko & Komodakis eq. 2: Σ_c |A_c|^p over channels, flattened and L2-normalised."""
    a = f.abs().pow(p).mean(dim=1).flatten(1)
    return F.normalize(a, dim=1)


class ATLoss(nn.Module):
    """Zagoruyko & Komodakis 2016, eq. 2: ‖Q_s/‖Q_s‖ − Q_t/‖Q_t‖‖² on attention maps.

    Channels may differ; spatial sizes are matched by average pooling. Batch mean of the
    squared distance, times ½ as in the paper's β/2 weighting. Zero when the maps agree.
    """

    def __init__(self, p: float = 2.0) -> None:
        super().__init__()
        self.p = float(p)

    def forward(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        s = _match_spatial(s, t)
        diff = attention_map(s, self.p) - attention_map(t, self.p)
        return 0.5 * diff.pow(2).sum(dim=1).mean()


class NSTLoss(nn.Module):
    """Huang & Wang 2017, eq. 9: MMD² between the neuron-selectivity patterns of s and t.

    Each channel's spatial map (L2-normalised) is one sample; the samples of the student and
    of the teacher are compared with the polynomial kernel k(x, y) = (xᵀy + c)^d (the paper's
    best: d = 2, c = 0). Channels may differ in number; spatial sizes are matched by pooling.
    """

    def __init__(self, degree: int = 2, offset: float = 0.0) -> None:
        super().__init__()
        self.degree = int(degree)
        self.offset = float(offset)

    def _k(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return (a @ b.transpose(1, 2) + self.offset).pow(self.degree).mean(dim=(1, 2))

    def forward(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        s = _match_spatial(s, t)
        fs = F.normalize(s.flatten(2), dim=2)
        ft = F.normalize(t.flatten(2), dim=2)
        return (self._k(fs, fs) + self._k(ft, ft) - 2.0 * self._k(fs, ft)).mean()


class VIDLoss(nn.Module):
    """Ahn et al. 2019, eqs. 4–6: −E[log φ(t | s)] with φ = N(μ(s), diag σ²).

    μ is a regressor of the student feature; the variance is per teacher channel,
    σ²_c = softplus(α_c) + ε, learned (eq. 6), heteroscedastic across channels but shared
    over space. The returned value is the Gaussian negative log-density per teacher element
    (averaged over batch and elements, including the ½ log 2π constant), so
    H(t) − (#elements)·loss is the variational lower bound on I(t; s) (eq. 3) and its
    change over training is the change in that bound. `init_var` sets σ² at the start
    (Ahn et al. start from a large variance so the bound begins loose).
    """

    def __init__(self, in_dim: int, out_dim: int, conv: bool, hidden: int = 0,
                 init_var: float = 5.0, eps: float = 1e-5) -> None:
        super().__init__()
        self.regressor = regressor(in_dim, out_dim, conv, hidden)
        self.eps = float(eps)
        # inverse softplus so that softplus(α) + ε = init_var exactly
        alpha0 = math.log(math.expm1(init_var - eps))
        self.alpha = nn.Parameter(torch.full((out_dim,), alpha0))

    def variance(self) -> torch.Tensor:
        """σ²_c = softplus(α_c) + ε, one per teacher channel."""
        return F.softplus(self.alpha) + self.eps

    def forward(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        mu = self.regressor(_match_spatial(s, t))
        t = t.reshape(mu.shape)
        var = self.variance().view(1, -1, *([1] * (mu.dim() - 2)))
        nll = 0.5 * (torch.log(var) + (t - mu) ** 2 / var + math.log(2 * math.pi))
        return nll.mean()


LOSSES = {"kd": KDLoss, "fitnet": FitNetLoss, "at": ATLoss, "nst": NSTLoss, "vid": VIDLoss}
