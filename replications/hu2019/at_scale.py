"""Attention transfer at Zagoruyko & Komodakis's scale (ICLR 2017, eq. 2 and their code).

Their loss is (β/2) · mean over the batch and the H·W positions of the squared difference of
the L2-normalised attention maps, with β = 1000. `ibcore.nn.distill.ATLoss` sums over the
positions instead (½ · batch mean of the squared distance), which is H·W times larger; this
subclass divides by H·W so that the weight λ_AT is Zagoruyko & Komodakis's β itself, whatever
the map size.
"""

from __future__ import annotations

import torch

from ibcore.nn.distill import ATLoss


class ATMeanLoss(ATLoss):
    """½ · mean over batch and positions of (Q_s/‖Q_s‖ − Q_t/‖Q_t‖)²; λ = β = 1000 in the paper."""

    def forward(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return super().forward(s, t) / (t.shape[-2] * t.shape[-1])
