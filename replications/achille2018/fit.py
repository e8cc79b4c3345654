"""Train a stack of noisy-weight MLPs with the weight IB Lagrangian, one model per β (or label
set), as ONE ensemble of `ibcore.train.fit_stacked` (Achille & Soatto, JMLR 2018, eq. 6, §4).

    L(q) = H_{p,q}(D | w) + β · KL(q(w | D) ‖ p(w)),   per sample: mean CE + β · KL / N.

Model k of the stack has its own β_k (and, with `subsets`, its own labels on shared images),
its own initialisation (seed stream `(1, stream, k)`) and shares the run's noise generator.
Adam; the noise parameters move `noise_lr / lr` times faster than the means
(`ibcore.train.noisy_weights`).

Convergence criterion (the paper states none): every `window` steps the objective of each model
is averaged over the window; a model has converged when two consecutive window means differ by
less than `tol` (relative), after at least `min_steps`; it is then frozen in the results (its
snapshot). Training stops when every model has converged, or at `max_steps`; `converged` per
model records which met the criterion.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from ibcore.context import RunContext
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.noisy_weights import (
    Converged,
    Convergence,
    StackedNoisyMLP,
    sampled_error,
)


def build(
    cfg: dict, widths: list[int], seeds: Sequence[int], gen: torch.Generator
) -> StackedNoisyMLP:
    """The stack of `cfg` (`noise`: "lognormal", "gaussian" or "mean_field")."""
    base = StackedMLP.torch_default(widths, "relu", list(seeds), layout="batch")
    mean_field = cfg["noise"] == "mean_field"
    return StackedNoisyMLP(
        base,
        cfg["noise"],
        cfg["init_log_sigma"] if mean_field else cfg["init_log_alpha"],
        noise_scale=cfg["noise_lr"] / cfg["lr"],
        log_alpha_max=cfg.get("log_alpha_max", 8.0),
        prior_sigma=cfg.get("prior_sigma", 0.1),
        draws=cfg.get("weight_draws", 1),
        generator=gen,
    )


def fit_ensemble(
    cfg: dict,
    ctx: RunContext,
    x: torch.Tensor,
    y: torch.Tensor,
    betas: Sequence[float],
    stream: int,
    n_out: int = 10,
    subsets: torch.Tensor | None = None,
) -> tuple[StackedNoisyMLP, dict[str, list]]:
    """Train one model per β on (x, y) (or on `subsets` rows) until all converge or the cap."""
    m = len(betas)
    n = x.shape[0] if subsets is None else subsets.shape[1]
    seeds = [int(ctx.torch_generator(1, stream, k).initial_seed()) for k in range(m)]
    model = build(cfg, [x.shape[1], *cfg["hidden"], n_out], seeds, ctx.torch_generator(3, stream))
    conv = Convergence(model, betas, n, cfg["window"], cfg["tol"], cfg["min_steps"])
    batch = cfg["batch_size"] if 0 < cfg["batch_size"] < n else n
    steps_per_epoch = -(-n // batch)
    schedule = Schedule(
        n_epochs=-(-cfg["max_steps"] // steps_per_epoch),
        batch_size=cfg["batch_size"],
        optimizer="adam",
        lr=cfg["lr"],
    )
    gens = [ctx.torch_generator(2, stream, k) for k in range(m)]
    try:
        fit_stacked(model, x, y, schedule, gens, subsets=subsets, extra_loss=conv)
    except Converged:
        pass
    conv.restore()
    return model, conv.summary()


def evaluate(
    model: StackedNoisyMLP, x: torch.Tensor, y: torch.Tensor, n: int, draws: int
) -> dict[str, list[float]]:
    """Per model: training error of the stochastic network, KL (nats) and KL / n."""
    with torch.no_grad():
        kl = model.kl().tolist()
    return {
        "train_error": sampled_error(model, x, y, draws).tolist(),
        "kl": kl,
        "kl_per_sample": [k / n for k in kl],
    }
