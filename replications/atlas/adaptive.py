"""Equal-mass adaptive binning (Chelombiev, Houghton & O'Donnell, ICLR 2019).

Chelombiev et al. (§3, "adaptive binning") replace equal-width bins by bins that each hold the
same number of the layer's observed activation values, so that saturated units (tanh near ±1)
or the pile of ReLU zeros do not decide the estimate through a few crowded bins. Here the bin
edges are the quantiles of all values of the layer (every unit, every input) at one epoch;
repeated quantiles (ties, e.g. exact ReLU zeros) are merged, so a value with a large mass gets
one bin of its own. Each unit is then digitised with the shared edges and H(T) is the plug-in
entropy of the binned rows.
"""

from __future__ import annotations

import numpy as np


def equal_mass_edges(t: np.ndarray, n_bins: int) -> np.ndarray:
    """Inner bin edges (ascending, unique) putting ~equal numbers of the values of `t` per bin."""
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    values = np.asarray(t, dtype=np.float64).ravel()
    if values.size == 0:
        raise ValueError("equal_mass_edges: no activation values")
    qs = np.quantile(values, np.linspace(0.0, 1.0, n_bins + 1)[1:-1])
    return np.unique(qs)


def adaptive_codes(t: np.ndarray, n_bins: int) -> np.ndarray:
    """Integer bin index per coordinate of `t` (n, width), with equal-mass edges of `t`."""
    arr = np.asarray(t, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    edges = equal_mass_edges(arr, n_bins)
    return np.searchsorted(edges, arr, side="right").astype(np.int64)
