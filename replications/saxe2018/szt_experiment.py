"""12-bit-task experiments: information planes under binning and KDE (Saxe et al. 2018).

Used by the experiments `szt_tanh`, `szt_relu`, `szt_softsign`, `szt_softplus` (§2, Fig. 1A–B,
App. B.2), `szt_overfit` (30 % of the data, Fig. 4C–D) and `sgd_bgd_*` (§4, Fig. 5, App. I):
they differ only in their config.
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.gradient_snr import snr_log10_drop
from ibcore.infoplane import PlaneEstimator, information_plane
from replications.saxe2018.szt_training import TrainingRecord, train_szt

# Binning per activation family (Saxe et al. App. A): double-saturating units use Shwartz-Ziv &
# Tishby's 30 bins on [-1, 1]; unbounded units 100 bins between the smallest and largest activity
# of that layer over training.
_BOUNDED = PlaneEstimator("binning", {"n_bins": 30, "value_range": (-1.0, 1.0)})
_UNBOUNDED = PlaneEstimator("binning", {"n_bins": 100}, history_range=True)
BINNING = {"tanh": _BOUNDED, "softsign": _BOUNDED, "relu": _UNBOUNDED, "softplus": _UNBOUNDED}

# Hidden layers closest to the output: where Fig. 1A shows the compression phase.
NEAR_OUTPUT = (4, 5)


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
    plane: dict[str, list[list[float]]], near_output: tuple[int, ...] = NEAR_OUTPUT
) -> dict:
    """Per-layer series plus the groupings the claims read (layers numbered from 1)."""
    n = len(plane["ixt"])
    layer = {f"layer{i + 1}": s for i, s in enumerate(plane["ixt"])}
    return {
        "ixt": layer,
        "ity": {f"layer{i + 1}": s for i, s in enumerate(plane["ity"])},
        "ixt_hidden": plane["ixt"][: n - 1],
        "ixt_near_output": [plane["ixt"][i - 1] for i in near_output],
        # compression in bits: peak of I(X;T) minus its value at the end of training
        "drop": {k: max(s) - s[-1] for k, s in layer.items()},
    }


def snr_metrics(rec: TrainingRecord) -> dict:
    """Gradient SNR per layer over epochs and its drop in decades (max vs. late mean)."""
    per_layer = np.array([s["snr"] for s in rec.snr]).T  # (layers, epochs)
    drop = snr_log10_drop(per_layer)
    return {
        "snr": {f"layer{i + 1}": row.tolist() for i, row in enumerate(per_layer)},
        "grad_mean": np.array([s["mean"] for s in rec.snr]).T.tolist(),
        "grad_std": np.array([s["std"] for s in rec.snr]).T.tolist(),
        "log10_drop": drop.tolist(),
        "min_log10_drop": float(drop.min()),
    }


def run(cfg: dict, ctx: RunContext) -> dict:
    """One seed: train, compute each requested information plane, store activations."""
    rec, y, train_idx = train_szt(cfg, ctx)
    metrics: dict = {
        "epochs": rec.epochs,
        "train_error": rec.train_error,
        "test_error": rec.test_error,
        "final_train_acc": 1.0 - rec.train_error[-1],
        "final_test_acc": 1.0 - rec.test_error[-1],
        "acc_gap": rec.test_error[-1] - rec.train_error[-1],
        "weight_norm": np.array(rec.weight_norm).T.tolist(),
    }
    for name in cfg["estimators"]:
        sub = kde_subset(len(y), cfg["kde_samples"], ctx.numpy_rng(3))
        if name != "kde":
            sub = np.arange(len(y))
        acts = [[a[sub] for a in ep] for ep in rec.acts]
        plane = information_plane(acts, y[sub], estimator(name, cfg))
        metrics[name] = plane_metrics(plane)
    if rec.snr:
        metrics["gradient"] = snr_metrics(rec)
    # activations exactly as the estimators above saw them (float32), so the estimator atlas
    # re-estimates the very numbers of this run without retraining
    ctx.save_arrays(
        epochs=np.array(rec.epochs),
        labels=y,
        train_idx=train_idx,
        **{
            f"act_layer{i + 1}": np.stack([ep[i] for ep in rec.acts]).astype(np.float32)
            for i in range(len(rec.acts[0]))
        },
    )
    return metrics
