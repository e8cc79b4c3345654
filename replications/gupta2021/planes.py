"""Information planes of the MNIST network under several estimators, on the same activations.

One run = one initialisation (seed) of one activation, trained by :mod:`training`; at every
epoch end (and at the initialisation), for every hidden layer T:

* ``edge_authors``: EDGE as the authors' information-plane code runs it (:mod:`edge_authors`;
  Noshad, Zeng & Hero 2019, Fig. 5): X = the raw probe images, projected by a p-stable hash.
* ``edge_floor``: `ibcore.mi.EdgeMI` (paper hash, library bandwidth rule) with X the sample
  index (the probe images are distinct, so I(X;T) = I(T; index)).
* ``edge_xor`` / ``edge_xor_fine``: Gupta's (IIT Mandi 2021) XOR vector hash at the library's
  ε_0 and at a fixed fine ε (``xor_fine_eps`` sd), each with the share of ε-cells its hash
  merges (:mod:`collisions`) beside every estimate.
* ``hsic``: normalised HSIC (Gretton et al. 2005; normalised as in Ma, Lewis & Kleijn 2020),
  median-heuristic Gaussian kernels; ``hsic_pyglow``: (m-1)^-1 tr(KHLH) with Gaussian kernels of
  width sigma = 5, our guess at the HSIC code of Gupta's group (PyGlow). Both on a fixed subsample
  of ``n_hsic`` probe images, labels one-hot; not bits, only their trends are compared.
* Saxe et al. (ICLR 2018) on the same activations: binning with 100 equal bins between the
  layer's smallest and largest activity over training (their ReLU setting, App. A), binning with
  bins of width 0.5 (their MNIST setting, App. B), and the KDE upper bound with noise variance
  0.1 on the ``n_hsic`` subsample.

Per estimator the run returns each layer's series over epochs, the final value per layer, the
saturation share and the head-room of I(X;T) below its ceiling log2 N (an estimate that never
leaves the ceiling cannot show compression). Spearman rank correlation between an EDGE curve and
the HSIC curve of the same layer measures Gupta's "the trends agree"; a constant curve has no
ranking, so its rho counts as 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import spearmanr

import ibcore.mi as mi
from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.infoplane import PlaneEstimator, information_plane, layer_point
from replications.gupta2021 import edge_authors
from replications.gupta2021.collisions import xor_collision_rate
from replications.gupta2021.training import train_with_snapshots

#: Saxe et al.'s estimator settings, evaluated on all probe images ("kde": on the subsample)
SAXE_ESTIMATORS: dict[str, PlaneEstimator] = {
    "binning_100": PlaneEstimator("binning", {"n_bins": 100}, history_range=True),
    "binning_05": PlaneEstimator("binning", {"n_bins": None, "bin_size": 0.5}),
    "kde": PlaneEstimator("kde", {"noise_var": 0.1, "bound": "upper"}),
}
PYGLOW_SIGMA = 5.0
#: an XOR estimate counts only where its hash merges fewer than this share of the ε-cells
MAX_COLLISION = 0.01
#: bits an estimate must come below its ceiling for a trend in it to be visible
MIN_HEADROOM = 0.1


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


def headroom(ixt: list[list[float]], ceiling: float) -> float:
    """min over layers of the largest distance below ``ceiling`` the layer's I(X;T) reaches."""
    return float(min(ceiling - min(s) for s in ixt))


def pyglow_hsic(a: np.ndarray, b: np.ndarray) -> float:
    """(m-1)^-1 tr(K H L H), Gaussian kernels of width 5 (a guess at PyGlow's HSIC)."""
    m = a.shape[0]
    biased = mi.dependence(a, b, method="hsic", bandwidth=PYGLOW_SIGMA)  # (m-1)^-2 tr(KHLH)
    return float(biased * (m - 1))


def series_stats(ixt: list[list[float]], ity: list[list[float]],
                 ceiling: float | None, h_y: float | None = None) -> dict:
    """Series per layer, final per-layer values, saturation, rise of I(T;Y) and the head-room
    of I(X;T) below ``ceiling`` (log2 N) and of I(T;Y) below ``h_y`` (H(Y)), when given."""
    half = len(ixt[0]) // 2
    out = {
        "ixt": ixt,
        "ity": ity,
        "ixt_final_by_layer": [s[-1] for s in ixt],
        "saturation": max(saturation(ixt, half), saturation(ity, half)),
        "ity_rise": float(min(s[-1] - s[0] for s in ity)),
    }
    if ceiling is not None:
        out["ixt_headroom"] = headroom(ixt, ceiling)
    if h_y is not None:
        out["ity_headroom"] = headroom(ity, h_y)
    return out


def collision_free(stats: dict, collision: list[list[float]], ceiling: float,
                   h_y: float) -> dict:
    """The XOR arm's series restricted to the epochs where its collision rate is < 1 %.

    ``ok_share`` is the smallest share of epochs kept in any layer; a layer with no epoch left
    keeps its first value only, so the series stay non-empty. ``evaluable`` is 1 when every
    layer keeps at least half its epochs and both coordinates come at least 0.1 bits below
    their ceilings (log2 N, H(Y)) somewhere, else 0 (claims on these series are censored).
    """
    keep = [[c < MAX_COLLISION for c in layer] for layer in collision]

    def mask(series: list[list[float]]) -> list[list[float]]:
        return [[v for v, k in zip(s, kl) if k] or s[:1] for s, kl in zip(series, keep)]

    ixt, ity = mask(stats["ixt"]), mask(stats["ity"])
    half = [len(s) // 2 for s in ixt]
    ok_share = float(min(np.mean(kl) for kl in keep))
    room = min(headroom(ixt, ceiling), headroom(ity, h_y))
    return {
        "ixt": ixt,
        "ity": ity,
        "ixt_final_by_layer": [s[-1] for s in ixt],
        "saturation": max(max(saturation([a], h), saturation([b], h))
                          for a, b, h in zip(ixt, ity, half)),
        "ity_rise": float(min(s[-1] - s[0] for s in ity)),
        "ok_share": ok_share,
        "evaluable": float(ok_share >= 0.5 and room >= MIN_HEADROOM),
    }


def _by_layer(rows: list[list[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*rows)]


def _edge_library(snaps: list, y: np.ndarray, params: dict, seed: int, with_collisions: bool
                  ) -> dict[str, list]:
    out: dict[str, list] = {"ixt": [], "ity": [], "collision": []}
    for snap in snaps:
        pts = [layer_point(t, y, "edge", params) for t in snap.hidden]
        out["ixt"].append([p[0] for p in pts])
        out["ity"].append([p[1] for p in pts])
        if with_collisions:
            out["collision"].append([xor_collision_rate(t, params.get("epsilon"), seed)
                                     for t in snap.hidden])
    return out


def run(cfg: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Train one network, measure its information planes; one seed of one activation."""
    data = mnist()
    n = int(cfg["n_probe"])
    probe_x = (data.train_x if cfg["probe"] == "train" else data.test_x)[:n].astype(np.float64)
    y = (data.train_y if cfg["probe"] == "train" else data.test_y)[:n].astype(np.int64)
    sub = np.sort(ctx.numpy_rng(3).choice(n, cfg["n_hsic"], replace=False))
    x_sub, y_onehot = probe_x[sub], np.eye(10)[y[sub]]
    snaps = train_with_snapshots(cfg, ctx)
    ceiling = float(np.log2(n))
    h_y = float(mi.entropy(y.reshape(-1, 1), method="binning"))
    out: dict[str, Any] = {
        "epoch": [s.epoch for s in snaps],
        "test_accuracy": snaps[-1].test_accuracy,
        "test_accuracy_curve": [s.test_accuracy for s in snaps],
        "train_accuracy_curve": [s.train_accuracy for s in snaps],
    }
    # EDGE, the authors' way: fixed projections (one seed per variable, as their fixed seed)
    seed = ctx.seed
    images = edge_authors.prepare(probe_x, np.random.default_rng([seed, 0]))
    labels = edge_authors.prepare(y.astype(np.float64), np.random.default_rng([seed, 1]))
    rows = []
    for snap in ctx.progress(snaps, desc="EDGE (authors)"):
        rows.append([edge_authors.layer_point(images, labels, t, li,
                                              np.random.default_rng([seed, 2, li]))
                     for li, t in enumerate(snap.hidden)])
    out["edge_authors"] = series_stats(_by_layer([[p[0] for p in r] for r in rows]),
                                       _by_layer([[p[1] for p in r] for r in rows]), ceiling, h_y)
    # EDGE of ibcore.mi: paper hash, XOR hash at two bandwidths
    base = {"n_estimators": cfg["edge_n_estimators"], "random_state": seed}
    arms = {
        "edge_floor": base | {"hash": "floor"},
        "edge_xor": base | {"hash": "xor"},
        "edge_xor_fine": base | {"hash": "xor", "epsilon": float(cfg["xor_fine_eps"])},
    }
    for key, params in arms.items():
        res = _edge_library(snaps, y, params, seed, params["hash"] == "xor")
        out[key] = series_stats(_by_layer(res["ixt"]), _by_layer(res["ity"]), ceiling, h_y)
        if res["collision"]:
            coll = _by_layer(res["collision"])
            out[key]["collision"] = coll
            out[key]["max_collision"] = float(max(max(s) for s in coll))
            out[key]["collision_free"] = collision_free(out[key], coll, ceiling, h_y)
    # HSIC, two variants, on the subsample
    hs: dict[str, list] = {"xt": [], "ty": [], "pxt": [], "pty": []}
    for snap in snaps:
        ts = [t[sub].astype(np.float64) for t in snap.hidden]
        hs["xt"].append([mi.ixt(t, "hsic", inputs=x_sub, normalized=True, random_state=seed)
                         for t in ts])
        hs["ty"].append([mi.dependence(t, y_onehot, method="hsic", normalized=True,
                                       random_state=seed) for t in ts])
        hs["pxt"].append([pyglow_hsic(x_sub, t) for t in ts])
        hs["pty"].append([pyglow_hsic(t, y_onehot) for t in ts])
    out["hsic"] = series_stats(_by_layer(hs["xt"]), _by_layer(hs["ty"]), 1.0)
    out["hsic_pyglow"] = series_stats(_by_layer(hs["pxt"]), _by_layer(hs["pty"]), None)
    out["agreement"] = {}
    for key in ("edge_authors", "edge_floor", "edge_xor", "edge_xor_fine"):
        for ref in ("hsic", "hsic_pyglow"):
            agr = {c: [rank_agreement(e, s) for e, s in zip(out[key][c], out[ref][c])]
                   for c in ("ixt", "ity")}
            agr["min_ixt"], agr["min_ity"] = min(agr["ixt"]), min(agr["ity"])
            out["agreement"][f"{key}_vs_{ref}"] = agr
    for key in ("edge_xor", "edge_xor_fine"):  # agreement where the XOR hash collides < 1 %
        keep = [[c < MAX_COLLISION for c in layer] for layer in out[key]["collision"]]
        agr = {
            c: [rank_agreement([v for v, k in zip(e, kl) if k], [v for v, k in zip(h, kl) if k])
                if sum(kl) >= 3 else 0.0
                for e, h, kl in zip(out[key][c], out["hsic"][c], keep)]
            for c in ("ixt", "ity")
        }
        agr["min_ixt"], agr["min_ity"] = min(agr["ixt"]), min(agr["ity"])
        out["agreement"][f"{key}_collision_free_vs_hsic"] = agr
    # Saxe et al.'s estimators on the same activations
    for name, est in SAXE_ESTIMATORS.items():
        rows_ = sub if name == "kde" else slice(None)
        acts = [[t[rows_].astype(np.float64) for t in s.hidden] for s in snaps]
        plane = information_plane(acts, y[rows_], est)
        top = float(np.log2(len(sub))) if name == "kde" else ceiling
        out[name] = series_stats(plane["ixt"], plane["ity"], top, h_y)
    ctx.save_arrays(
        activations=np.stack([np.concatenate(s.hidden[1:], axis=1)[: cfg["n_store"]]
                              for s in snaps]).astype(np.float16),
        labels=y[: cfg["n_store"]].astype(np.int8),
        epoch=np.asarray(out["epoch"]),
    )
    return out
