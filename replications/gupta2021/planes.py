"""Information planes of the MNIST network under EDGE, HSIC, binning and KDE.

One run = one initialisation (seed) of one activation. At every snapshot of
:mod:`training` and for every hidden layer T:

* EDGE (Noshad, Zeng & Hero 2019, Eqs. 4-7) via ``ibcore.mi``, once per hash variant in
  ``edge_hashes``: ``"floor"`` is the paper's H1 = floor((x + b) / eps), ``"xor"`` Gupta's
  (IIT Mandi 2021) element hash combined by XOR. I(X;T) uses the sample index as X (the
  probe images are distinct, so I(X;T) = I(T; index); :func:`ibcore.infoplane.layer_point`).
* normalised HSIC (Gretton et al. 2005; normalised as in Ma, Lewis & Kleijn 2020) of
  (X, T) and (T, one-hot Y) on a fixed subsample of ``n_hsic`` probe images: Gupta's
  second estimator. HSIC is not in bits; only its trends are compared with EDGE's.

At the end of every epoch, for the EDGE-vs-Saxe comparison on the *same* activations:

* binning with 30 equal bins between the layer's smallest and largest activity over
  training (Saxe et al. ICLR 2018, App. A), on all ``n_probe`` images;
* the Kolchinsky-Tracey KDE upper bound with noise variance 0.1 (Saxe et al. App. B), on
  the ``n_hsic`` subsample (pairwise cost).

Spearman rank correlation between the EDGE and HSIC curves over all snapshots, per layer,
measures Gupta's "the trends agree"; a constant curve has no ranking, so its rho counts as 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import spearmanr

import ibcore.mi as mi
from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.infoplane import PlaneEstimator, information_plane, layer_point
from replications.gupta2021.training import Snapshot, train_with_snapshots

#: the Saxe et al. estimator settings applied to the stored epoch-end activations
SAXE_ESTIMATORS: dict[str, PlaneEstimator] = {
    "binning": PlaneEstimator("binning", {"n_bins": 30}, history_range=True),
    "kde": PlaneEstimator("kde", {"noise_var": 0.1, "bound": "upper"}),
}


def rank_agreement(a: list[float], b: list[float]) -> float:
    """Spearman rho of two curves; 0 when either is constant (no ranking to agree on)."""
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(spearmanr(a, b).statistic)


def saturation(series: list[list[float]], start: int) -> float:
    """Worst layer's share of its total movement that happens from index ``start`` on.

    0 = flat after ``start`` (saturated), 1 = all the movement happens late. A flat curve
    (no movement at all) counts as saturated.
    """
    shares = []
    for s in series:
        total = np.ptp(s)
        shares.append(float(np.ptp(s[start:]) / total) if total > 0 else 0.0)
    return max(shares)


def _hsic_pair(a: np.ndarray, b: np.ndarray, seed: int) -> float:
    return mi.dependence(a, b, method="hsic", normalized=True, random_state=seed)


def _series_stats(ixt: list[list[float]], ity: list[list[float]], ends: list[int]) -> dict:
    """Epoch-end series, final per-layer values and saturation of one estimator's plane."""
    ixt_ep = [[s[i] for i in ends] for s in ixt]
    ity_ep = [[s[i] for i in ends] for s in ity]
    half = len(ends) // 2
    return {
        "ixt": ixt,
        "ity": ity,
        "ixt_epochs": ixt_ep,
        "ity_epochs": ity_ep,
        "ixt_final_by_layer": [s[-1] for s in ixt_ep],
        "saturation": max(saturation(ixt_ep, half), saturation(ity_ep, half)),
    }


def run(cfg: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Train one network, measure its information planes; one seed of one activation."""
    data = mnist()
    y = data.test_y[: cfg["n_probe"]].astype(np.int64)
    sub = np.sort(ctx.numpy_rng(3).choice(cfg["n_probe"], cfg["n_hsic"], replace=False))
    x_sub = data.test_x[sub].astype(np.float64)
    y_onehot = np.eye(10)[y[sub]]
    hashes = list(cfg["edge_hashes"])
    edge_params = {"n_estimators": cfg["edge_n_estimators"], "random_state": ctx.seed}

    edge = {h: {"ixt": [], "ity": []} for h in hashes}
    hsic: dict[str, list] = {"xt": [], "ty": []}
    epochs, test_acc, train_acc, ends = [], [], [], []
    kept: list[list[np.ndarray]] = []  # float16 epoch-end activations for binning / KDE
    stored: list[np.ndarray] = []
    snaps = train_with_snapshots(cfg, ctx.torch_generator(4))
    for i, snap in enumerate(ctx.progress(snaps, desc=f"{cfg['activation']} planes")):
        snap: Snapshot
        epochs.append(snap.epoch)
        test_acc.append(snap.test_accuracy)
        train_acc.append(snap.train_accuracy)
        for h in hashes:
            pts = [
                layer_point(t, y, "edge", edge_params | {"hash": h})
                for t in snap.hidden
            ]
            edge[h]["ixt"].append([p[0] for p in pts])
            edge[h]["ity"].append([p[1] for p in pts])
        hsic["xt"].append([mi.ixt(t[sub], "hsic", inputs=x_sub, normalized=True,
                                  random_state=ctx.seed) for t in snap.hidden])
        hsic["ty"].append([_hsic_pair(t[sub], y_onehot, ctx.seed) for t in snap.hidden])
        if snap.end_of_epoch or i == 0:
            ends.append(i)
            kept.append([t.astype(np.float16) for t in snap.hidden])
        # narrow layers only, on a prefix of the probe set: < 20 MB of float16 per run
        stored.append(np.concatenate(snap.hidden[1:], axis=1)[: cfg["n_store"]])

    def by_layer(rows: list[list[float]]) -> list[list[float]]:
        return [list(col) for col in zip(*rows)]

    out: dict[str, Any] = {
        "epoch": epochs,
        "epoch_ends": [epochs[i] for i in ends],
        "test_accuracy": test_acc[-1],
        "test_accuracy_curve": test_acc,
        "train_accuracy_curve": train_acc,
    }
    for h in hashes:
        out[f"edge_{h}"] = _series_stats(by_layer(edge[h]["ixt"]), by_layer(edge[h]["ity"]), ends)
    out["hsic"] = _series_stats(by_layer(hsic["xt"]), by_layer(hsic["ty"]), ends)
    out["agreement"] = {}
    for h in hashes:
        agr = {
            c: [rank_agreement(e, s) for e, s in zip(out[f"edge_{h}"][c], out["hsic"][c])]
            for c in ("ixt", "ity")
        }
        agr["min_ixt"], agr["min_ity"] = min(agr["ixt"]), min(agr["ity"])
        out["agreement"][f"edge_{h}"] = agr
    for name, est in SAXE_ESTIMATORS.items():
        rows = sub if name == "kde" else slice(None)
        acts = [[t[rows].astype(np.float64) for t in ep] for ep in kept]
        plane = information_plane(acts, y[rows], est)
        out[name] = _series_stats(plane["ixt"], plane["ity"], list(range(len(ends))))
    ctx.save_arrays(
        activations=np.stack(stored).astype(np.float16),
        labels=y[: cfg["n_store"]].astype(np.int8),
        epoch=np.asarray(epochs),
    )
    return out
