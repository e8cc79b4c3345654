"""A plain multilayer perceptron that can hand back every layer's activity.

Information-plane work needs the activity of each layer, T_1 … T_L, for the same input batch;
`forward_with_activations` returns them in order (hidden layers after their nonlinearity, then
the output layer's pre-softmax logits).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "softsign": nn.Softsign,
    "softplus": nn.Softplus,
    "linear": nn.Identity,
}


def activation(name: str) -> nn.Module:
    """An activation module by name (see `ACTIVATIONS`)."""
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        choices = sorted(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose from {choices}") from None


class MLP(nn.Module):
    """Fully connected network `widths[0] → … → widths[-1]` with one hidden activation."""

    def __init__(self, widths: Sequence[int], act: str = "relu", bias: bool = True) -> None:
        super().__init__()
        if len(widths) < 2:
            raise ValueError(f"an MLP needs at least input and output widths, got {widths}")
        self.widths = list(widths)
        self.layers = nn.ModuleList(
            nn.Linear(a, b, bias=bias) for a, b in zip(widths[:-1], widths[1:])
        )
        self.act = activation(act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_activations(x)[0]

    def forward_with_activations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Return (logits, [T_1, …, T_L]); T_L is the logits themselves."""
        acts = []
        h = x
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i < len(self.layers) - 1:
                h = self.act(h)
            acts.append(h)
        return h, acts
