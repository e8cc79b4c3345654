"""12-bit-task experiments: information planes under binning and KDE (Saxe et al. 2018).

`run_block` serves `szt_tanh`, `szt_relu` and their PyTorch-initialised arms, `szt_softsign`,
`szt_softplus` (§2, Fig. 1A–B, App. B.2) and `szt_overfit` (30 % of the data, Fig. 4C–D): they
differ only in their config, and train the seeds of a block in one stack (`ibcore.seed_blocks`)
with the numbers of one run per seed. `run_gd` serves `gd_tanh`, `gd_relu` (§4, Fig. 5, App. I):
the same network and initialisation trained by minibatch SGD and by full-batch GD for the same
number of optimisation steps, one seed per run.

KDE (App. B.1) is computed on the test patterns, binning on all 4 096 (the binning of
Shwartz-Ziv & Tishby uses the whole input set).
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.data import szt
from ibcore.gradient_snr import snr_log10_drop
from ibcore.infoplane import PlaneEstimator, information_plane, log_epochs
from replications.saxe2018.snr_step import step_metrics
from replications.saxe2018.szt_training import (
    TrainingRecord,
    split,
    steps_per_epoch,
    train_szt_seeds,
)

# Binning per activation family (Saxe et al. App. A): double-saturating units use Shwartz-Ziv &
# Tishby's 30 bins on [-1, 1]; unbounded units 100 bins between the smallest and largest activity
# of that layer over training.
_BOUNDED = PlaneEstimator("binning", {"n_bins": 30, "value_range": (-1.0, 1.0)})
_UNBOUNDED = PlaneEstimator("binning", {"n_bins": 100}, history_range=True)
BINNING = {"tanh": _BOUNDED, "softsign": _BOUNDED, "relu": _UNBOUNDED, "softplus": _UNBOUNDED}

# Hidden layers closest to the output: where Fig. 1A shows the compression phase.
NEAR_OUTPUT = (4, 5)
# A layer whose I(X;T) stays within this many bits of log2(N) at every logged epoch is pinned
# at the estimator's ceiling: it can neither rise nor fall by the claims' 0.25-bit slack.
PINNED_WITHIN = 0.1
# End of the fitting phase for the I(T;Y)-rises claims: the first tenth of training.
FIT_FRACTION = 0.1


def kde_subset(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Seeded subset of `k` of the `n` inputs (all when k <= 0 or k >= n), sorted.

    The KDE bound costs O(n²) per layer and epoch; a subset keeps the quick profile short.
    """
    if k <= 0 or k >= n:
        return np.arange(n)
    return np.sort(rng.choice(n, size=k, replace=False))


def estimator(name: str, cfg: dict) -> PlaneEstimator:
    """The plane estimator called `name` ("binning" or "kde") for this run's activation."""
    if name == "binning":
        return BINNING[cfg["activation"]]
    return PlaneEstimator("kde", {"noise_var": cfg["kde_noise_var"]})


def plane_metrics(
    plane: dict[str, list[list[float]]],
    near_output: tuple[int, ...] = NEAR_OUTPUT,
    n_samples: int | None = None,
    epochs: list[int] | None = None,
) -> dict:
    """Per-layer series plus the groupings the claims read (layers numbered from 1).

    With `n_samples`, hidden layers pinned at the ceiling log2(n_samples) (within
    `PINNED_WITHIN` bits at every logged epoch) are listed, and `ixt_hidden_free` holds the
    others: a no-compression claim is tested on those and censored when none is left. With
    `epochs`, `ity_fit_rise` is the rise of I(T;Y) in the fitting phase (its largest value up
    to `FIT_FRACTION` of training minus its value at initialisation), smallest over the layers
    in `near_output`.
    """
    n = len(plane["ixt"])
    layer = {f"layer{i + 1}": s for i, s in enumerate(plane["ixt"])}
    hidden = plane["ixt"][: n - 1]
    out = {
        "ixt": layer,
        "ity": {f"layer{i + 1}": s for i, s in enumerate(plane["ity"])},
        "ixt_hidden": hidden,
        "ixt_near_output": [plane["ixt"][i - 1] for i in near_output],
        # compression in bits: peak of I(X;T) minus its value at the end of training
        "drop": {k: max(s) - s[-1] for k, s in layer.items()},
        "near_output_drop": min(max(plane["ixt"][i - 1]) - plane["ixt"][i - 1][-1]
                                for i in near_output),
    }
    if n_samples is not None:
        ceiling = float(np.log2(n_samples))
        pinned = [min(s) >= ceiling - PINNED_WITHIN for s in hidden]
        out["ceiling"] = ceiling
        out["pinned"] = [i + 1 for i, p in enumerate(pinned) if p]
        out["n_free_hidden"] = len(hidden) - sum(pinned)
        out["ixt_hidden_free"] = [s for s, p in zip(hidden, pinned) if not p] or [[0.0]]
    if epochs is not None:
        fit = np.asarray(epochs) <= FIT_FRACTION * max(epochs)
        ity = [np.asarray(plane["ity"][i - 1]) for i in near_output]
        out["ity_fit_rise"] = float(min(s[fit].max() - s[0] for s in ity))
    return out


def snr_metrics(rec: TrainingRecord) -> dict:
    """Gradient SNR per layer over epochs, its drop in decades (max vs. late mean) and whether
    the drop is a step (`snr_step`)."""
    per_layer = np.array([s["snr"] for s in rec.snr]).T  # (layers, epochs)
    drop = snr_log10_drop(per_layer)
    return {
        **step_metrics(rec.epochs, per_layer),
        "snr": {f"layer{i + 1}": row.tolist() for i, row in enumerate(per_layer)},
        "grad_mean": np.array([s["mean"] for s in rec.snr]).T.tolist(),
        "grad_std": np.array([s["std"] for s in rec.snr]).T.tolist(),
        "log10_drop": drop.tolist(),
        "min_log10_drop": float(drop.min()),
    }


def kde_indices(cfg: dict, train_idx: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Inputs the KDE bound is computed on: the test patterns (App. B.1; `kde_set = "test"`)
    or all inputs (`"all"`), optionally a seeded subset of `kde_samples` of them."""
    pool = np.arange(n) if cfg.get("kde_set", "test") == "all" else np.setdiff1d(
        np.arange(n), train_idx)
    return pool[kde_subset(len(pool), cfg["kde_samples"], rng)]


def record_metrics(cfg: dict, rec: TrainingRecord, y: np.ndarray, train_idx: np.ndarray,
                   rng: np.random.Generator) -> tuple[dict, np.ndarray]:
    """Errors, losses, weight norms, each requested information plane and the gradient SNR;
    and the indices of the inputs the KDE plane was computed on."""
    metrics: dict = {
        "epochs": rec.epochs,
        "train_error": rec.train_error,
        "test_error": rec.test_error,
        "train_loss": rec.train_loss,
        "final_train_acc": 1.0 - rec.train_error[-1],
        "final_test_acc": 1.0 - rec.test_error[-1],
        "acc_gap": rec.test_error[-1] - rec.train_error[-1],
        "weight_norm": np.array(rec.weight_norm).T.tolist(),
    }
    kde_idx = kde_indices(cfg, train_idx, len(y), rng)
    for name in cfg["estimators"]:
        sub = kde_idx if name == "kde" else np.arange(len(y))
        acts = [[a[sub] for a in ep] for ep in rec.acts]
        plane = information_plane(acts, y[sub], estimator(name, cfg))
        metrics[name] = plane_metrics(plane, n_samples=len(sub), epochs=rec.epochs)
        metrics[name]["n_samples"] = len(sub)
    if rec.snr:
        metrics["gradient"] = snr_metrics(rec)
    return metrics, kde_idx


def run_block(cfg: dict, ctxs: list[RunContext]) -> list[dict]:
    """Several seeds trained together (`train_szt_seeds`, one stacked `fit_stacked`); per seed,
    each requested information plane, with its activations stored in its own context.

    A seed's numbers equal its single run's to float32 rounding (tested); the sweep always
    gives a seed the same fixed block, so its stored bytes never depend on scheduling."""
    trained = train_szt_seeds(cfg, [c.seed for c in ctxs], ctxs[0].progress, ctxs[0].device)
    y = szt()[1]
    return [_finish(cfg, rec, y, train_idx, ctx) for ctx, (rec, train_idx) in zip(ctxs, trained)]


def _finish(cfg: dict, rec: TrainingRecord, y: np.ndarray, train_idx: np.ndarray,
            ctx: RunContext) -> dict:
    metrics, kde_idx = record_metrics(cfg, rec, y, train_idx, ctx.numpy_rng(3))
    # activations exactly as the estimators above saw them (float32), so the estimator atlas
    # re-estimates the very numbers of this run without retraining
    ctx.save_arrays(
        epochs=np.array(rec.epochs),
        labels=y,
        train_idx=train_idx,
        kde_idx=kde_idx,  # the inputs the KDE plane was computed on
        **{
            f"act_layer{i + 1}": np.stack([ep[i] for ep in rec.acts]).astype(np.float32)
            for i in range(len(rec.acts[0]))
        },
    )
    return metrics


def plane_distance(a: dict, b: dict) -> float:
    """Largest over hidden layers of the mean distance (bits) between two runs' information
    planes at the same logged points: mean_t √(ΔI(X;T)² + ΔI(T;Y)²)."""
    layers = list(a["ixt"])[:-1]
    return float(max(
        np.mean(np.hypot(np.subtract(a["ixt"][k], b["ixt"][k]), np.subtract(a["ity"][k],
                                                                               b["ity"][k])))
        for k in layers))


def run_gd(cfg: dict, ctx: RunContext) -> dict:
    """§4: one seed, one initialisation and split, trained by minibatch SGD (`batch_size`) and by
    full-batch GD for the same number of optimisation steps, logged at the same step counts.

    SGD runs `n_epochs` epochs of ⌈P/batch⌉ steps; GD runs that many steps (one per epoch).
    Both use the same optimiser and learning rate, so the arms differ only in gradient noise.
    One seed per run, not a seed block: full-batch GD on the 3,277 training rows is not bitwise
    independent of the block size (measured: the training loss differs in the 7th digit after
    one epoch), so blocks would make a seed's numbers depend on its neighbours.
    """
    n = len(szt()[0])
    n_train = len(split(n, cfg["train_frac"], ctx.numpy_rng(1))[0])
    per_epoch = steps_per_epoch(n_train, cfg["batch_size"])
    logged = log_epochs(cfg["n_epochs"], cfg["n_log"])
    arms = {
        "sgd": {**cfg, "log_at": logged},
        "bgd": {**cfg, "batch_size": 0, "n_epochs": cfg["n_epochs"] * per_epoch,
                "log_at": [e * per_epoch for e in logged]},
    }
    y = szt()[1]
    out: dict = {"updates": [e * per_epoch for e in logged], "steps_per_epoch": per_epoch}
    for arm, arm_cfg in arms.items():
        ((rec, train_idx),) = train_szt_seeds(arm_cfg, [ctx.seed], ctx.progress, ctx.device)
        out[arm] = record_metrics(arm_cfg, rec, y, train_idx, ctx.numpy_rng(3))[0]
    for est in cfg["estimators"]:
        out[f"{est}_plane_distance"] = plane_distance(out["sgd"][est], out["bgd"][est])
    out["final_loss_ratio"] = out["bgd"]["train_loss"][-1] / out["sgd"]["train_loss"][-1]
    return out
