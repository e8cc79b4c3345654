"""Wide residual networks (Zagoruyko & Komodakis, BMVC 2016, "Wide Residual Networks").

WRN-d-k: three groups of (d − 4)/6 pre-activation basic blocks with 16k, 32k, 64k channels
after a 16-channel stem; WRN-40-2 is the CIFAR-10 teacher of Ahn et al. (CVPR 2019, §4.3).
`forward_with_features` returns the three group outputs, the hint layers of FitNet/AT/VID.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class BasicBlock(nn.Module):
    """BN-ReLU-conv3×3-BN-ReLU-conv3×3 with an identity or 1×1-conv shortcut."""

    def __init__(self, c_in: int, c_out: int, stride: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.bn1, self.bn2 = nn.BatchNorm2d(c_in), nn.BatchNorm2d(c_out)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.dropout = dropout
        self.shortcut = (None if c_in == c_out and stride == 1
                         else nn.Conv2d(c_in, c_out, 1, stride, 0, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        o = F.relu(self.bn1(x))
        y = self.conv1(o)
        y = F.dropout(F.relu(self.bn2(y)), self.dropout, self.training)
        y = self.conv2(y)
        return y + (x if self.shortcut is None else self.shortcut(o))


class WideResNet(nn.Module):
    """WRN-depth-widen for 32 × 32 inputs (CIFAR)."""

    def __init__(self, depth: int = 40, widen: int = 2, num_classes: int = 10,
                 dropout: float = 0.0) -> None:
        super().__init__()
        if (depth - 4) % 6:
            raise ValueError(f"WRN depth must be 6n + 4, got {depth}")
        n = (depth - 4) // 6
        widths = [16, 16 * widen, 32 * widen, 64 * widen]
        self.stem = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.groups = nn.ModuleList()
        for g in range(3):
            blocks = [BasicBlock(widths[g] if i == 0 else widths[g + 1], widths[g + 1],
                                 (1 if g == 0 else 2) if i == 0 else 1, dropout)
                      for i in range(n)]
            self.groups.append(nn.Sequential(*blocks))
        self.bn = nn.BatchNorm2d(widths[3])
        self.fc = nn.Linear(widths[3], num_classes)
        self.widths = widths

    def forward_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """(logits, [group-1, group-2, group-3 outputs])."""
        feats = []
        h = self.stem(x)
        for group in self.groups:
            h = group(h)
            feats.append(h)
        h = F.relu(self.bn(h))
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1)), feats

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_features(x)[0]


def wrn_40_2(num_classes: int = 10) -> WideResNet:
    return WideResNet(40, 2, num_classes)
