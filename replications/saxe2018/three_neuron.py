"""The three-neuron model of Saxe et al. (ICLR 2018), §2, Fig. 2C–D and App. C, Fig. 13.

X ~ N(0, 1), net input z = w·X, hidden unit h = f(z), and T = bin(h). Because T is a
deterministic function of X, I(T;X) = H(T). Every bin of h is the image of an interval of X
(f is monotone), so P(T = k) is a difference of Gaussian CDFs and H(T) is exact — no sampling.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def entropy_bits(p: np.ndarray) -> float:
    """Shannon entropy in bits of a probability vector (zero cells contribute nothing)."""
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def binned_entropy(w: float, edges_z: np.ndarray) -> float:
    """H(T) in bits for T = bin(w·X), X ~ N(0,1), with bin edges given in net-input space.

    The outermost edges are replaced by ±inf: every value of h falls into some bin, as in the
    reference binning where values beyond the last edge share the last bin.
    """
    z = np.asarray(edges_z, dtype=float).copy()
    z[0], z[-1] = -np.inf, np.inf
    # norm.cdf differences lose precision in the upper tail; the survival function keeps it.
    cdf = np.where(z <= 0, norm.cdf(z / w), 1.0 - norm.sf(z / w))
    return entropy_bits(np.diff(cdf))


def tanh_ixt(w: float, n_bins: int) -> float:
    """Fig. 2C: I(T;X) for h = tanh(wX) with `n_bins` equal bins on [−1, 1]."""
    inner = np.arctanh(np.linspace(-1.0, 1.0, n_bins + 1)[1:-1])
    return binned_entropy(w, np.concatenate([[-np.inf], inner, [np.inf]]))


def relu_ixt(w: float, bin_width: float, tail_sd: float = 12.0) -> float:
    """Fig. 2D: I(T;X) for h = relu(wX) with bins of width `bin_width` from 0 upwards, uncapped.

    Bins are [kδ, (k+1)δ), k = 0, 1, …; the first bin also holds the half of the mass at h = 0.
    Bins beyond `tail_sd` standard deviations of wX carry < 1e-32 of the mass and are folded
    into the last one.
    """
    n_bins = int(np.ceil(tail_sd * w / bin_width)) + 1
    edges_h = np.arange(n_bins + 1) * bin_width
    return binned_entropy(w, np.concatenate([[-np.inf], edges_h[1:]]))


def tanh_netinput_ixt(w: float, n_edges: int, z_max: float = 50.0) -> float:
    """App. C, Fig. 13: tanh with edges tanh(linspace(−z_max, z_max, n_edges)).

    Since tanh is monotone, binning tanh(wX) at tanh(z_k) is binning wX at z_k; working in z
    avoids tanh(±50) rounding to ±1 in floating point.
    """
    return binned_entropy(w, np.linspace(-z_max, z_max, n_edges))


def weight_grid(w_max: float, n_w: int) -> np.ndarray:
    """`n_w` evenly spaced weights in (0, w_max]."""
    return np.linspace(w_max / n_w, w_max, n_w)


def run(cfg: dict, ctx: object) -> dict:
    """Exact I(T;X) curves over the weight grid (deterministic: the seed is not used)."""
    w = weight_grid(cfg["w_max"], cfg["n_w"])
    curves = {
        "tanh": [tanh_ixt(v, cfg["tanh_bins"]) for v in w],
        "relu": [relu_ixt(v, cfg["relu_bin_width"]) for v in w],
        "tanh_netinput_bins": [tanh_netinput_ixt(v, cfg["netinput_edges"]) for v in w],
    }
    metrics: dict = {"w": [float(v) for v in w]}
    for name, ixt in curves.items():
        metrics[name] = {"ixt": ixt, "peak_w": float(w[int(np.argmax(ixt))]), "max": max(ixt)}
    return metrics
