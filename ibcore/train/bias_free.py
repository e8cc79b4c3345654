"""Stacked networks without biases, for `ibcore.train.fit_stacked`.

Deep *linear* networks in the analyses of gradient-descent dynamics (e.g. ŷ = W_L … W_1 x) have
no bias terms: every layer is a plain matrix product. `StackedMLP` always carries a bias per
layer, and `fit_stacked` hands every parameter of the model to its optimiser. `BiasFreeMLP`
keeps `StackedMLP`'s forward pass with its biases fixed at zero and not trainable: they are
buffers, not parameters, so `parameters()` yields the weights only (`fit_stacked`'s
optimiser takes `model.parameters()`), the optimiser never sees a
bias and the forward pass adds an exact zero (x + 0 = x in IEEE arithmetic, so the products are
those of the bias-free network bit for bit).

Any dtype works: give float64 weights for float64 training (inputs must then be float64 too).

`sum_squared_error` is the loss ½ Σ_batch (y − ŷ)² of a scalar-output regression, per model,
in the trainer's per-model form (logits (M, B, 1), targets (M, B) → (M,)).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ibcore.train.stacked import StackedMLP


class BiasFreeMLP(StackedMLP):
    """M stacked MLPs ``h ← act(h W_l)`` whose biases are fixed zeros (not parameters).

    weights[l]: (M, n_in, n_out), the layout of `StackedMLP` (model k maps h_k ↦ h_k W_l[k]).
    """

    def __init__(self, weights: Sequence[torch.Tensor], act: str = "linear",
                 layout: str = "auto") -> None:
        zeros = [torch.zeros(w.shape[0], 1, w.shape[2], dtype=w.dtype, device=w.device)
                 for w in weights]
        super().__init__(weights, zeros, act, layout)
        # StackedMLP registered trainable biases; replace them by zero buffers (moved by .to())
        del self._modules["biases"]
        for i, b in enumerate(zeros):
            self.register_buffer(f"_zero_bias{i}", b)

    @property
    def biases(self) -> list[torch.Tensor]:  # type: ignore[override]
        """The fixed zero biases, read by the forward pass, never trained."""
        return [getattr(self, f"_zero_bias{i}") for i in range(len(self.weights))]

    def products(self, k: int) -> list[torch.Tensor]:
        """Model k's cumulative maps in the (out, in) convention: [W_1, W_2 W_1, …], where
        W_l = weights[l][k]ᵀ, as used by linear-network theory (T_l = W_l … W_1 x)."""
        out: list[torch.Tensor] = []
        acc: torch.Tensor | None = None
        for w in self.weights:
            wl = w[k].detach().T
            acc = wl if acc is None else wl @ acc
            out.append(acc)
        return out


def sum_squared_error(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """½ Σ_batch (y − ŷ)² per model for a single output unit: (M, B, 1), (M, B) → (M,)."""
    return 0.5 * (logits[..., 0] - y).square().sum(dim=-1)
