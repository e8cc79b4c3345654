"""Information-plane coordinates of every layer at logged epochs.

The information plane (Shwartz-Ziv & Tishby 2017, §2.3; Saxe et al. ICLR 2018, §2) places
layer T at (I(X;T), I(T;Y)). Given the activations of each layer on the same inputs at a
series of epochs, this module computes both coordinates with any `ibcore.mi` estimator.

Activations come as ``acts[epoch][layer]`` arrays of shape (n_samples, width). The inputs are
taken to be distinct (true of the 12-bit task and of any real data set of distinct images), so
X is represented by the sample index: I(X;T) = I(T; index). I(X;T) goes through the one call
:func:`ibcore.mi.ixt`, where each family does what its literature does (the KDE bound, for
instance, uses its closed form I(X;T) = H(T) − H(T|X), Saxe et al. App. B, Eq. 10).
Randomised estimators (EDGE) take ``random_state`` in ``params``, from the run's seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import ibcore.mi as mi
from ibcore.mi.binning import range_from


def log_epochs(n_epochs: int, n_points: int, include_zero: bool = True) -> list[int]:
    """About `n_points` distinct epochs spaced evenly in log(epoch) over [1, n_epochs].

    Epoch 0 (the initialisation) is prepended when `include_zero`. The result is sorted and
    always contains `n_epochs`, so the last logged state is the end of training.
    """
    if n_epochs < 1 or n_points < 1:
        raise ValueError(f"need n_epochs >= 1 and n_points >= 1, got {n_epochs}, {n_points}")
    grid = np.unique(np.round(np.logspace(0, np.log10(n_epochs), n_points)).astype(int))
    epochs = sorted(set(grid.tolist()) | {n_epochs})
    return ([0] if include_zero else []) + epochs


@dataclass
class PlaneEstimator:
    """One estimator setting for the information plane.

    `method` and `params` go to `ibcore.mi`. `history_range=True` sets a binning estimator's
    `value_range` per layer to the min–max of that layer over all logged epochs (Saxe et al.,
    App. A: ReLU layers binned between the smallest and largest activity seen in training).
    """

    method: str
    params: dict[str, Any] = field(default_factory=dict)
    history_range: bool = False

    def for_layer(self, history: Sequence[np.ndarray]) -> dict[str, Any]:
        """The estimator parameters for one layer, given its activations at every epoch."""
        if not self.history_range:
            return dict(self.params)
        return {**self.params, "value_range": range_from(history)}


def layer_point(
    t: np.ndarray, y: np.ndarray, method: str, params: dict[str, Any]
) -> tuple[float, float]:
    """(I(X;T), I(T;Y)) in bits of one layer's activations `t` on distinct inputs, labels `y`."""
    t = np.asarray(t, dtype=np.float64)
    ixt = mi.ixt(t, method=method, **params)
    ity = mi.estimate(t, np.asarray(y), method=method, **params)
    return float(ixt), float(ity)


def information_plane(
    acts: Sequence[Sequence[np.ndarray]], y: np.ndarray, estimator: PlaneEstimator
) -> dict[str, list[list[float]]]:
    """I(X;T) and I(T;Y) of every layer at every logged epoch.

    Returns ``{"ixt": [[layer 1 over epochs], …], "ity": [...]}`` — one series per layer, the
    shape the `monotone` and `rise_then_fall` claim rules read as "every layer".
    """
    n_layers = len(acts[0])
    out: dict[str, list[list[float]]] = {"ixt": [], "ity": []}
    for layer in range(n_layers):
        history = [epoch[layer] for epoch in acts]
        params = estimator.for_layer(history)
        points = [layer_point(t, y, estimator.method, params) for t in history]
        out["ixt"].append([p[0] for p in points])
        out["ity"].append([p[1] for p in points])
    return out
