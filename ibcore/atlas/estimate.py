"""I(X;T) (and I(T;Y)) of one layer under one atlas setting, from stored activations.

Inputs are distinct (12-bit patterns, MNIST images), so for binning and EDGE X is represented
by the sample index exactly as :func:`ibcore.infoplane.layer_point` does, and the KDE bound
uses the closed form I(X;T) = H(T) − H(T|X) (Saxe et al. ICLR 2018, App. B; Kolchinsky &
Tracey 2017). The re-estimate therefore goes through the same library calls as the
replications' own information planes. Families that the replications do not use:

* ``adaptive`` (Chelombiev et al., ICLR 2019): plug-in entropy of equal-mass bin codes;
* ``ksg`` (Goldfeld et al., ICML 2019): the noisy layer T̃ = T + N(0, β²I), one seeded draw
  per input; I(X;T̃) = h(T̃) − h(T̃|X) = h_KL(T̃) − d/2 log2(2πeβ²), h_KL the
  Kozachenko–Leonenko k-NN entropy (the KSG family's entropy, Kraskov et al. 2004);
* ``hsic``: normalised HSIC(X, T) on a seeded subsample of the inputs (not bits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import ibcore.mi as mi
from ibcore.atlas.adaptive import adaptive_codes
from ibcore.atlas.grid import Setting
from ibcore.mi import kde
from ibcore.mi.binning import range_from
from ibcore.mi.ksg import KSGMI

#: activations bounded in (-1, 1): binned on that fixed range (Saxe et al. App. A)
BOUNDED = ("tanh", "softsign")


@dataclass(frozen=True)
class LayerInputs:
    """What an estimator may need besides the activations of one layer."""

    activation: str
    seed: int
    layer: int
    inputs: np.ndarray | None = None  # X rows (for HSIC); None when not available
    kde_rows: np.ndarray | None = None  # subset for the O(n²) KDE bound
    hsic_rows: np.ndarray | None = None  # subset for HSIC


def binning_params(setting: Setting, history: Sequence[np.ndarray], activation: str) -> dict:
    """Estimator parameters of a binning setting for one layer (fixed range per layer)."""
    if "bin_size" in setting.params:
        return {"n_bins": None, "bin_size": setting.params["bin_size"]}
    rng = (-1.0, 1.0) if activation in BOUNDED else range_from(history)
    return {"n_bins": setting.params["n_bins"], "value_range": rng}


def _noisy(t: np.ndarray, std: float, seed: int, layer: int, epoch: int) -> np.ndarray:
    rng = np.random.default_rng([seed, layer, epoch, 7919])
    return t + std * rng.standard_normal(t.shape)


def _kl_bits(t: np.ndarray, k: int) -> float:
    return KSGMI(k=k, jitter=0.0).entropy(t)


def ixt_series(
    history: Sequence[np.ndarray], setting: Setting, ctx: LayerInputs
) -> list[float]:
    """I(X;T) of one layer at every logged epoch (`history[e]` is (n, width)) in its units."""
    hist = [np.asarray(t, dtype=np.float64) for t in history]
    fam, p = setting.family, setting.params
    out: list[float] = []
    if fam == "binning":
        params = binning_params(setting, hist, ctx.activation)
        for t in hist:
            out.append(mi.estimate(t, np.arange(len(t)), method="binning", **params))
    elif fam == "adaptive":
        for t in hist:
            codes = adaptive_codes(t, p["n_bins"])
            out.append(mi.estimate(codes, np.arange(len(t)), method="binning"))
    elif fam == "kde":
        rows = ctx.kde_rows if ctx.kde_rows is not None else slice(None)
        out = [float(kde.mi_x_t(t[rows], p["noise_var"], "upper")) for t in hist]
    elif fam == "ksg":
        std, k = p["noise_std"], p["k"]
        for e, t in enumerate(hist):
            h_noise = 0.5 * t.shape[1] * np.log2(2 * np.pi * np.e * std**2)
            out.append(_kl_bits(_noisy(t, std, ctx.seed, ctx.layer, e), k) - h_noise)
    elif fam == "edge":
        for t in hist:
            out.append(mi.estimate(t, np.arange(len(t)), method="edge", hash=p["hash"]))
    elif fam == "hsic":
        if ctx.inputs is None:
            raise ValueError("hsic needs the network inputs X")
        rows = ctx.hsic_rows if ctx.hsic_rows is not None else slice(None)
        x = np.asarray(ctx.inputs, dtype=np.float64)[rows]
        for t in hist:
            out.append(mi.dependence(x, t[rows], method="hsic", normalized=True,
                                     multiplier=p["multiplier"]))
    else:
        raise ValueError(f"unknown atlas family {fam!r}")
    return [float(v) for v in out]


def ity_series(
    history: Sequence[np.ndarray], y: np.ndarray, setting: Setting, ctx: LayerInputs
) -> list[float]:
    """I(T;Y) of one layer at every logged epoch (for the information-plane figure)."""
    hist = [np.asarray(t, dtype=np.float64) for t in history]
    y = np.asarray(y)
    fam, p = setting.family, setting.params
    if fam == "binning":
        params = binning_params(setting, hist, ctx.activation)
        return [mi.estimate(t, y, method="binning", **params) for t in hist]
    if fam == "adaptive":
        return [mi.estimate(adaptive_codes(t, p["n_bins"]), y, method="binning") for t in hist]
    if fam == "kde":
        rows = ctx.kde_rows if ctx.kde_rows is not None else slice(None)
        return [float(kde.mi_t_y(t[rows], y[rows], p["noise_var"], "upper")) for t in hist]
    if fam == "ksg":
        out = []
        for e, t in enumerate(hist):
            tn = _noisy(t, p["noise_std"], ctx.seed, ctx.layer, e)
            cond = sum(np.mean(y == c) * _kl_bits(tn[y == c], p["k"]) for c in np.unique(y))
            out.append(_kl_bits(tn, p["k"]) - cond)
        return out
    if fam == "edge":
        return [mi.estimate(t, y, method="edge", hash=p["hash"]) for t in hist]
    if fam == "hsic":
        rows = ctx.hsic_rows if ctx.hsic_rows is not None else slice(None)
        onehot = (y[:, None] == np.unique(y)[None, :]).astype(np.float64)[rows]
        return [mi.dependence(t[rows], onehot, method="hsic", normalized=True,
                              multiplier=p["multiplier"]) for t in hist]
    raise ValueError(f"unknown atlas family {fam!r}")
