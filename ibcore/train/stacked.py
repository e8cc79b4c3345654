"""M same-shaped multilayer perceptrons held as stacked weight tensors.

Layer l of model k has weight ``weights[l][k]`` of shape (n_in, n_out) and bias
``biases[l][k]`` of shape (1, n_out); a forward pass is one `torch.bmm` per layer over the M
models plus the broadcast bias, ``h_k ← h_k W_k + b_k``, then the hidden nonlinearity.
`torch.baddbmm` computes the same but, for the 12-bit-task layers (256 × 12 × 10 per model,
M = 50), took 139 µs against 44 µs for `bmm` on this machine (it copies the broadcast bias
first); for MNIST-sized layers the two are equal. Batched matmul was measured against
`torch.func.stack_module_state` + `vmap(grad(...))` over `functional_call` in
`benchmarks/bench_train.py`: gradients of 50 12-bit nets took 3.26 ms with vmap and 1.72 ms with
`bmm`, of 10 784-100-10 nets 3.66 against 2.75 ms (`benchmarks/README.md`), so this module
uses `bmm`.

Layout (`layout="auto"`, a fixed rule by width): activations are batch-major, (M, B, width),
or, when the input is at most 64 wide, feature-major, computed as (M, width, B) =
W_kᵀ h_kᵀ + b_k, which makes the bias add and the reductions run along the batch; for the
12-bit net that was 15–35 % faster (see `_layout`). Either way the activations handed out are
(M, B, width) (views in the feature-major case).

Initialisation keeps PyTorch's default (`nn.Linear`: weights and biases
U(−1/√fan_in, 1/√fan_in)) drawn exactly as ``torch.manual_seed(seed); MLP(widths)`` would, so
a stacked model k starts from the same numbers as the single-model code seeded with seed k.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ibcore.nn.mlp import ACTIVATIONS, MLP, activation
from ibcore.train.aligned import per_model

# activations whose SIMD and scalar CPU loops may round differently (see ibcore.train.aligned)
_ALIGNED = {"sigmoid", "softplus"}


class StackedMLP(nn.Module):
    """M fully connected networks ``widths[0] → … → widths[-1]`` with one hidden activation.

    Inputs are (M, B, widths[0]), one batch per model; `forward_with_activations` returns the
    logits (M, B, widths[-1]) and every layer's activity (hidden after the nonlinearity, the
    last one the logits), as `ibcore.nn.mlp.MLP` does for one model.
    """

    def __init__(
        self,
        weights: Sequence[torch.Tensor],
        biases: Sequence[torch.Tensor],
        act: str = "relu",
        layout: str = "auto",
    ) -> None:
        super().__init__()
        if len(weights) != len(biases) or not weights:
            raise ValueError("need one bias per weight and at least one layer")
        m = weights[0].shape[0]
        for w, b in zip(weights, biases):
            if w.dim() != 3 or w.shape[0] != m or b.shape != (m, 1, w.shape[2]):
                raise ValueError(f"weight {tuple(w.shape)} / bias {tuple(b.shape)} do not stack")
        self.weights = nn.ParameterList(nn.Parameter(w.detach().clone()) for w in weights)
        self.biases = nn.ParameterList(nn.Parameter(b.detach().clone()) for b in biases)
        self.act_name = act
        self.layout = _layout(layout, self.widths)
        self.act = activation(act)

    @property
    def n_models(self) -> int:
        return self.weights[0].shape[0]

    @property
    def widths(self) -> list[int]:
        return [self.weights[0].shape[1]] + [w.shape[2] for w in self.weights]

    @classmethod
    def from_modules(
        cls, models: Sequence[MLP], act: str | None = None, layout: str = "auto"
    ) -> StackedMLP:
        """Stack the parameters of same-shaped `MLP`s (e.g. each initialised its own way)."""
        n_layers = len(models[0].layers)
        weights = [
            torch.stack([m.layers[i].weight.detach().T for m in models]) for i in range(n_layers)
        ]
        biases = [
            torch.stack([_bias(m.layers[i]) for m in models]).unsqueeze(1) for i in range(n_layers)
        ]
        return cls(weights, biases, act or _act_name(models[0]), layout)

    @classmethod
    def torch_default(
        cls,
        widths: Sequence[int],
        act: str,
        seeds: Sequence[int],
        device: str | torch.device = "cpu",
        layout: str = "auto",
    ) -> StackedMLP:
        """PyTorch-default initialisation, model k drawn as ``manual_seed(seeds[k]); MLP(...)``.

        The global torch RNG is forked, so the caller's random state is left untouched.
        """
        models = []
        with torch.random.fork_rng(devices=[]):
            for seed in seeds:
                torch.manual_seed(seed)
                models.append(MLP(widths, act))
        return cls.from_modules(models, act, layout).to(device)

    def model(self, k: int) -> MLP:
        """Model k as a stand-alone `MLP` (a copy)."""
        net = MLP(self.widths, self.act_name)
        with torch.no_grad():
            for layer, w, b in zip(net.layers, self.weights, self.biases):
                layer.weight.copy_(w[k].T)
                layer.bias.copy_(b[k, 0])
        return net.to(self.weights[0].device)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_activations(x)[0]

    def forward_with_activations(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """x: (M, B, n_in), or (B, n_in) shared by all models. Returns (logits, [T_1 … T_L])."""
        h = x.expand(self.n_models, *x.shape) if x.dim() == 2 else x
        feature_major = self.layout == "feature"
        if feature_major:
            h = h.transpose(1, 2)
        acts = []
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if feature_major:  # h (M, n_in, B): W^T h + b, the bias broadcast along the batch
                h = torch.bmm(w.transpose(1, 2), h) + b.transpose(1, 2)
            else:  # h (M, B, n_in): h W + b
                h = torch.bmm(h, w) + b
            if i < last:
                h = per_model(self.act, h) if self.act_name in _ALIGNED else self.act(h)
            acts.append(h.transpose(1, 2) if feature_major else h)
        return acts[-1], acts


def _layout(layout: str, widths: list[int]) -> str:
    """"batch" (activations (M, B, width)) or "feature" (stored (M, width, B)).

    "auto" is a fixed rule, so that a config always trains with the same rounding: feature-major
    when the input is at most 64 wide. Measured (benchmarks/README.md): feature-major made the
    12-bit net's forward + backward 35 % faster, but two of three MNIST nets 12 % slower.
    """
    if layout == "auto":
        return "feature" if widths[0] <= 64 else "batch"
    if layout not in ("batch", "feature"):
        raise ValueError(f"unknown layout {layout!r}; choose 'auto', 'batch' or 'feature'")
    return layout


def _bias(layer: nn.Linear) -> torch.Tensor:
    if layer.bias is None:
        return torch.zeros(layer.out_features, dtype=layer.weight.dtype)
    return layer.bias.detach()


def _act_name(model: MLP) -> str:
    for name, make in ACTIVATIONS.items():
        if isinstance(model.act, make):
            return name
    raise ValueError(f"unknown activation module {model.act!r}")
