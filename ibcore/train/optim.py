"""SGD (with momentum) and Adam over stacked parameters, with hyper-parameters per model.

`torch.optim` takes one learning rate per parameter group, and a stacked tensor holds all M
models, so it cannot give model k its own lr or weight decay. These two optimisers perform the
same update as `torch.optim.SGD` and `torch.optim.Adam` (L2 weight decay added to the gradient,
no dampening, no Nesterov, no AMSGrad), written element-wise so that the hyper-parameters are
(M,) tensors broadcast over each model's slice:

- SGD with momentum μ (Sutskever et al. 2013, PyTorch's form): b ← μ b + g (b = g at the first
  step), θ ← θ − η b.
- Adam (Kingma & Ba, ICLR 2015, Algorithm 1): m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
  θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε), with PyTorch's placement of ε.

Every operation is element-wise, so model k's update does not depend on the other models.
`tests/test_train_optim.py` checks both against `torch.optim` model by model.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

import torch

HyperParam = float | Sequence[float] | torch.Tensor  # one value for all models, or one each


def per_model(value: HyperParam, m: int, ref: torch.Tensor) -> torch.Tensor:
    """A hyper-parameter as an (M, 1, 1) tensor: one value for all models or one per model."""
    t = torch.as_tensor(value, dtype=ref.dtype, device=ref.device)
    if t.dim() == 0:
        t = t.expand(m)
    if t.shape != (m,):
        raise ValueError(f"need one value or {m} values, got shape {tuple(t.shape)}")
    return t.reshape(m, 1, 1).clone()


class StackedOptimizer(abc.ABC):
    """Base: holds the stacked parameters (first dim = model) and per-model lr / weight decay."""

    def __init__(
        self, params: Sequence[torch.nn.Parameter], lr: HyperParam, weight_decay: HyperParam = 0.0
    ) -> None:
        self.params = list(params)
        m = self.params[0].shape[0]
        ref = self.params[0]
        self.lr = per_model(lr, m, ref)
        self.neg_lr = -self.lr
        self.weight_decay = per_model(weight_decay, m, ref)
        self._decay = bool((self.weight_decay != 0).any())
        self.t = 0

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def _grad(self, p: torch.Tensor) -> torch.Tensor:
        # in place: the gradient is discarded after the step, and MNIST-sized stacks are
        # large enough that a temporary per operation costs as much as the matmuls' overhead
        return p.grad.addcmul_(p, self.weight_decay) if self._decay else p.grad

    @torch.no_grad()
    def step(self) -> None:
        self.t += 1
        for i, p in enumerate(self.params):
            self._update(i, p, self._grad(p))

    @abc.abstractmethod
    def _update(self, i: int, p: torch.Tensor, g: torch.Tensor) -> None:
        """Apply one step to parameter `i` (`p`) with gradient `g` (decay already added)."""


class StackedSGD(StackedOptimizer):
    """SGD with per-model lr, momentum and weight decay (`torch.optim.SGD` semantics)."""

    def __init__(
        self,
        params: Sequence[torch.nn.Parameter],
        lr: HyperParam,
        momentum: HyperParam = 0.0,
        weight_decay: HyperParam = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = per_model(momentum, len(self.lr), self.params[0])
        self._use_momentum = bool((self.momentum != 0).any())
        self.buffers: list[torch.Tensor | None] = [None] * len(self.params)

    def _update(self, i: int, p: torch.Tensor, g: torch.Tensor) -> None:
        if self._use_momentum:
            buf = self.buffers[i]
            if buf is None:
                buf = self.buffers[i] = g.clone()
            else:
                buf.mul_(self.momentum).add_(g)
            g = buf
        p.addcmul_(g, self.neg_lr)


class StackedAdam(StackedOptimizer):
    """Adam with per-model lr and weight decay, shared betas and eps (`torch.optim.Adam`)."""

    def __init__(
        self,
        params: Sequence[torch.nn.Parameter],
        lr: HyperParam = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: HyperParam = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        # the bias corrections are the same for every parameter of this step
        t = self.t + 1
        self._neg_step_size = self.neg_lr / (1 - self.beta1**t)
        self._bc2_sqrt = (1 - self.beta2**t) ** 0.5
        super().step()

    def _update(self, i: int, p: torch.Tensor, g: torch.Tensor) -> None:
        m, v = self.exp_avg[i], self.exp_avg_sq[i]
        m.lerp_(g, 1 - self.beta1)
        v.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)
        ratio = v.sqrt().div_(self._bc2_sqrt).add_(self.eps)
        torch.div(m, ratio, out=ratio)
        p.addcmul_(ratio, self._neg_step_size)


def make_optimizer(
    name: str,
    params: Sequence[torch.nn.Parameter],
    lr: HyperParam,
    weight_decay: HyperParam = 0.0,
    momentum: HyperParam = 0.0,
) -> StackedOptimizer:
    """"sgd" (momentum allowed; full-batch GD is SGD with one batch) or "adam"."""
    if name == "sgd":
        return StackedSGD(params, lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        if torch.as_tensor(momentum).ne(0).any():
            raise ValueError("adam takes betas, not momentum")
        return StackedAdam(params, lr, weight_decay=weight_decay)
    raise ValueError(f"unknown optimizer {name!r}; choose 'sgd' or 'adam'")
