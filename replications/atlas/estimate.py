"""I(X;T) (and I(T;Y)) of one layer under one atlas setting, from stored activations.

Inputs are distinct (12-bit patterns, MNIST images). Every family's I(X;T) is the one call
:func:`ibcore.mi.ixt`, the same call :func:`ibcore.infoplane.layer_point` makes for the
replications' own information planes (binning and EDGE: X is the sample index; KDE: the
closed form H(T) − H(T|X), Saxe et al. ICLR 2018 App. B). Families that the replications do
not use:

* ``adaptive`` (Chelombiev et al., ICLR 2019): plug-in entropy of equal-mass bin codes;
* ``ksg`` (Goldfeld et al., ICML 2019): the noisy layer T̃ = T + N(0, β²I), one draw per
  input seeded by (run seed, layer, epoch); ``KSGMI.ixt`` with ``noise_std`` = β;
* ``hsic``: normalised HSIC(X, T) on a seeded subsample of the inputs (not bits).

Randomised estimators take the run's seed as ``random_state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import ibcore.mi as mi
from ibcore.mi.binning import range_from
from ibcore.mi.ksg import KSGMI
from replications.atlas.adaptive import adaptive_codes
from replications.atlas.grid import Setting

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


def _noise_seed(seed: int, layer: int, epoch: int) -> list[int]:
    """One noise draw per (run, layer, epoch): the KSG family's ``random_state``."""
    return [seed, layer, epoch, 7919]


def _noisy(t: np.ndarray, std: float, seed: int, layer: int, epoch: int) -> np.ndarray:
    # the same draw KSGMI.ixt makes from _noise_seed (first draw of that generator)
    rng = np.random.default_rng(_noise_seed(seed, layer, epoch))
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
        out = [mi.ixt(t, "binning", **params) for t in hist]
    elif fam == "adaptive":
        out = [mi.ixt(adaptive_codes(t, p["n_bins"]), "binning") for t in hist]
    elif fam == "kde":
        rows = ctx.kde_rows if ctx.kde_rows is not None else slice(None)
        out = [mi.ixt(t[rows], "kde", noise_var=p["noise_var"], bound="upper") for t in hist]
    elif fam == "ksg":
        out = [mi.ixt(t, "ksg", k=p["k"], jitter=0.0, noise_std=p["noise_std"],
                      random_state=_noise_seed(ctx.seed, ctx.layer, e))
               for e, t in enumerate(hist)]
    elif fam == "edge":
        out = [mi.ixt(t, "edge", hash=p["hash"], random_state=ctx.seed) for t in hist]
    elif fam == "hsic":
        if ctx.inputs is None:
            raise ValueError("hsic needs the network inputs X")
        rows = ctx.hsic_rows if ctx.hsic_rows is not None else slice(None)
        x = np.asarray(ctx.inputs, dtype=np.float64)[rows]
        out = [mi.ixt(t[rows], "hsic", inputs=x, normalized=True, multiplier=p["multiplier"],
                      random_state=ctx.seed) for t in hist]
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
        return [mi.estimate(t[rows], y[rows], "kde", noise_var=p["noise_var"], bound="upper")
                for t in hist]
    if fam == "ksg":
        out = []
        for e, t in enumerate(hist):
            tn = _noisy(t, p["noise_std"], ctx.seed, ctx.layer, e)
            cond = sum(np.mean(y == c) * _kl_bits(tn[y == c], p["k"]) for c in np.unique(y))
            out.append(_kl_bits(tn, p["k"]) - cond)
        return out
    if fam == "edge":
        return [mi.estimate(t, y, method="edge", hash=p["hash"], random_state=ctx.seed)
                for t in hist]
    if fam == "hsic":
        rows = ctx.hsic_rows if ctx.hsic_rows is not None else slice(None)
        onehot = (y[:, None] == np.unique(y)[None, :]).astype(np.float64)[rows]
        return [mi.dependence(t[rows], onehot, method="hsic", normalized=True,
                              multiplier=p["multiplier"], random_state=ctx.seed) for t in hist]
    raise ValueError(f"unknown atlas family {fam!r}")
