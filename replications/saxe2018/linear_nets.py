"""Deep linear students of a linear teacher, trained by (stochastic) gradient descent.

Saxe et al. (ICLR 2018), §3 and App. G: inputs X ~ N(0, I/N_i), a scalar linear teacher
y = w̄·x + ε, ε ~ N(0, σ_ε²), and a student ŷ = W_L … W_1 x trained on P samples with the
squared error summed over each batch, ½ Σ_μ (y_μ − ŷ_μ)². With x scaled by 1/√N_i the
eigenvalues of Σ_μ x_μ x_μᵀ are O(P/N_i), so a learning rate η gives gradient-flow time η per
epoch whatever the batch size. Training runs on the shared trainer (`ibcore.train.fit_stacked`)
with bias-free float64 networks (`ibcore.train.bias_free`); teachers, data and the exact
information quantities stay in numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ibcore.infoplane import log_epochs
from ibcore.train import Schedule, fit_stacked
from ibcore.train.bias_free import BiasFreeMLP, sum_squared_error


@dataclass
class Teacher:
    """A scalar linear teacher y = w̄·x + ε with x ~ N(0, I/N_i)."""

    w: np.ndarray  # (N_i,)
    noise_var: float

    @property
    def n_in(self) -> int:
        return self.w.shape[0]

    @property
    def cov_x(self) -> np.ndarray:
        return np.eye(self.n_in) / self.n_in

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        x = rng.standard_normal((n, self.n_in)) / np.sqrt(self.n_in)
        y = x @ self.w + np.sqrt(self.noise_var) * rng.standard_normal(n)
        return x, y

    def generalisation_error(self, w_tot: np.ndarray) -> float:
        """E_g = E[(y − ŷ)²] over fresh data = ‖w_tot − w̄‖²/N_i + σ_ε² (Saxe et al. Eq. 5)."""
        return float(np.sum((w_tot - self.w) ** 2) / self.n_in + self.noise_var)


def make_teacher(
    n_in: int, snr: float, rng: np.random.Generator, relevant: int | None = None
) -> Teacher:
    """Teacher with signal variance 1 and noise variance 1/snr.

    With `relevant` = k only the first k inputs carry weight (Saxe et al. §5); their weights
    are scaled so that the signal variance is still 1.
    """
    k = n_in if relevant is None else relevant
    w = np.zeros(n_in)
    w[:k] = rng.standard_normal(k) * np.sqrt(n_in / k)
    return Teacher(w, 1.0 / snr)


def init_weights(
    widths: Sequence[int], scale: float, rng: np.random.Generator
) -> list[np.ndarray]:
    """W_l of shape (out, in) with entries N(0, scale²/in): "small" when scale ≪ 1."""
    return [
        rng.standard_normal((b, a)) * scale / np.sqrt(a) for a, b in zip(widths[:-1], widths[1:])
    ]


def products(ws: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Cumulative maps from the input to each layer: [W_1, W_2 W_1, …]."""
    out, acc = [], None
    for w in ws:
        acc = w if acc is None else w @ acc
        out.append(acc)
    return out


def to_stacked(ws: Sequence[np.ndarray]) -> BiasFreeMLP:
    """One bias-free linear student (float64) holding the (out, in) matrices `ws`."""
    return BiasFreeMLP([torch.from_numpy(w.T.copy()).unsqueeze(0) for w in ws], "linear")


def from_stacked(model: BiasFreeMLP) -> list[np.ndarray]:
    """The student's matrices W_l in the (out, in) convention, as numpy float64 copies."""
    return [w[0].detach().T.numpy().copy() for w in model.weights]


def train(
    ws: list[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    lr: float,
    batch_size: int,
    n_epochs: int,
    n_log: int,
    generator: torch.Generator,
    on_log: Callable[[int, list[np.ndarray]], None],
    progress: Callable | None = None,
) -> list[int]:
    """Plain (stochastic) gradient descent on ½ Σ_batch (y − ŷ)² with the shared trainer.

    `ibcore.train.fit_stacked` on a float64 `BiasFreeMLP` (no biases, as in the paper's
    linear students); `generator` orders the minibatches. `on_log(epoch, ws)` is called at
    log-spaced epochs (0 included) with the current matrices. `batch_size` ≥ P (or ≤ 0) is
    full-batch gradient descent. Returns the logged epochs.
    """
    logged = log_epochs(n_epochs, n_log)
    model = to_stacked(ws)
    sched = Schedule(n_epochs=n_epochs, batch_size=batch_size, optimizer="sgd", lr=lr,
                     loss=sum_squared_error)
    fit_stacked(model, torch.from_numpy(x), torch.from_numpy(y), sched, [generator],
                hook=lambda epoch, m: on_log(epoch, from_stacked(m)), hook_epochs=logged,
                progress=progress)
    return logged
