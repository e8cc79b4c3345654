"""Neuron Steadiness Regularisation (Fu, Du, Mao et al., NeurIPS 2022, §4, Eq. 6).

The loss adds λ · the mean squared deviation of a layer's responses from the mean response of
their class: L = CE + λ · (1/n) Σ_i ‖h_i − μ_{y_i}‖² / d. Class means come from a queue of the
last few mini-batches' (detached) responses, so each step sees a steadier estimate than one
batch of 100 (≈ 10 per class) would give. Plain tensor code: CPU and GPU alike.
"""

from __future__ import annotations

from collections import deque

import torch


class ClassMeanQueue:
    """Responses and labels of the last `length` mini-batches, for class means."""

    def __init__(self, n_classes: int, length: int = 10) -> None:
        if length < 1:
            raise ValueError(f"queue length must be >= 1, got {length}")
        self.n_classes = n_classes
        self.items: deque[tuple[torch.Tensor, torch.Tensor]] = deque(maxlen=length)

    def push(self, h: torch.Tensor, y: torch.Tensor) -> None:
        self.items.append((h.detach(), y.detach()))

    def means(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(C × d class means, C counts) over the queue; classes never seen have count 0."""
        h = torch.cat([a for a, _ in self.items])
        y = torch.cat([b for _, b in self.items])
        onehot = torch.nn.functional.one_hot(y, self.n_classes).to(h.dtype)
        counts = onehot.sum(0)
        return (onehot.T @ h) / counts.clamp_min(1.0)[:, None], counts


def steadiness(h: torch.Tensor, y: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
    """Mean over samples and units of (h_i − μ_{y_i})²; zero iff each response is its class mean."""
    return ((h - means[y]) ** 2).mean()


class NSRLoss:
    """Cross-entropy plus λ · steadiness of one layer's responses (Fu et al. 2022, Eq. 6).

    Call with the logits, the regularised layer's responses and the labels; the current batch is
    pushed to the queue first, so its own (detached) responses are part of the class means.
    """

    def __init__(self, lam: float, n_classes: int = 10, queue_length: int = 10) -> None:
        self.lam = lam
        self.queue = ClassMeanQueue(n_classes, queue_length)

    def __call__(self, logits: torch.Tensor, h: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        ce = torch.nn.functional.cross_entropy(logits, y)
        if self.lam == 0:
            return ce
        self.queue.push(h, y)
        means, _ = self.queue.means()
        return ce + self.lam * steadiness(h, y, means)


class StackedNSRTerm:
    """The NSR term λ_k · steadiness for M stacked models, as a trainer `extra_loss`.

    For `ibcore.train.fit_stacked`: the cross-entropy is the trainer's data loss, this adds
    λ_k · (1/n) Σ_i ‖h_i − μ_{y_i}‖² / d per model (Fu et al. 2022, Eq. 6), each model with
    its own class-mean queue of its own responses. `layer` indexes the step's activations
    (−2: the last hidden layer). Models with λ_k = 0 get an exact zero, as `NSRLoss` gives
    plain cross-entropy.
    """

    def __init__(
        self, lams: list[float], n_classes: int = 10, queue_length: int = 10, layer: int = -2
    ) -> None:
        self.lams = [float(v) for v in lams]
        self.layer = layer
        self.queues = [ClassMeanQueue(n_classes, queue_length) for _ in self.lams]

    def __call__(self, step) -> torch.Tensor:  # step: ibcore.train.Step
        h, y = step.acts[self.layer], step.y
        terms = []
        for k, (lam, queue) in enumerate(zip(self.lams, self.queues)):
            if lam == 0:
                terms.append(h.new_zeros(()))
                continue
            queue.push(h[k], y[k])
            means, _ = queue.means()
            terms.append(lam * steadiness(h[k], y[k], means))
        return torch.stack(terms)
