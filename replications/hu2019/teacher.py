"""The MNIST teacher of the VID analogue: a small two-layer CNN trained once per run.

Its two hint layers are the second conv block's output (32 × 7 × 7, a spatial map as the
CUB/MIT-67 teachers' conv features) and the penultimate fully connected layer (a vector).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from ibcore.context import RunContext
from ibcore.train import error_rate, fit


class MnistTeacher(nn.Module):
    """conv(1→c1, 5×5) → pool → conv(c1→c2, 5×5) → pool → fc(c2·49 → fc) → fc(fc → 10)."""

    def __init__(self, c1: int = 16, c2: int = 32, fc: int = 128) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 5, padding=2)
        self.conv2 = nn.Conv2d(c1, c2, 5, padding=2)
        self.fc1 = nn.Linear(c2 * 49, fc)
        self.fc2 = nn.Linear(fc, 10)

    def forward_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """(logits, [conv map (B, c2, 7, 7), penultimate vector (B, fc)]) for flat 784-d x."""
        h = F.max_pool2d(F.relu(self.conv1(x.view(-1, 1, 28, 28))), 2)
        fmap = F.max_pool2d(F.relu(self.conv2(h)), 2)
        vec = F.relu(self.fc1(fmap.flatten(1)))
        return self.fc2(vec), [fmap, vec]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_features(x)[0]


def train_teacher(
    x: torch.Tensor, y: torch.Tensor, val: tuple[torch.Tensor, torch.Tensor], cfg: dict,
    ctx: RunContext,
) -> tuple[MnistTeacher, int]:
    """Adam on cross-entropy (`ibcore.train.fit`), one epoch at a time, until the held-out
    `val` accuracy reaches `teacher_target` or `teacher_max_epochs` have run.

    Returns (teacher in eval mode with frozen weights, epochs trained). The target is checked
    on a validation split of the training set, never on the test set the claims read.
    """
    torch.manual_seed(ctx.seed)  # the teacher's initialisation
    model = MnistTeacher(cfg["teacher_c1"], cfg["teacher_c2"], cfg["teacher_fc"])
    opt = torch.optim.Adam(model.parameters(), lr=cfg["teacher_lr"])
    gen = ctx.torch_generator(1)
    epochs = 0
    while epochs < cfg["teacher_max_epochs"]:
        fit(model, opt, lambda m, xb, yb: F.cross_entropy(m(xb), yb), x, y, n_epochs=1,
            batch_size=cfg["teacher_batch"], generator=gen)
        epochs += 1
        if teacher_accuracy(model, *val) >= cfg["teacher_target"]:
            break
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model, epochs


def teacher_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    return 1.0 - error_rate(model, x, y)
