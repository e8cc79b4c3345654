"""Learning curve of a one-layer linear student: simulation vs. the closed form.

Advani & Saxe (2017), "High-dimensional dynamics of generalization error in neural networks"
(cited by Saxe et al. 2018, §3). Setup as `linear_nets`: x ~ N(0, I/N), teacher signal
variance 1, noise variance σ², P = αN samples, student w trained by gradient flow on
½ Σ_μ (y_μ − w·x_μ)² from w(0) = 0. In the eigenbasis of C = Σ_μ x_μ x_μᵀ the error
e = w − w̄ decays mode by mode, and averaging over teacher and noise gives

    E_g(t) = σ² + ∫ ρ(c) [ e^{−2ct} + σ² (1 − e^{−ct})² / c ] dc + (1 − α)₊,

where ρ is the Marchenko–Pastur density of C's non-zero eigenvalues (per input dimension),
ρ(c) = √((c₊ − c)(c − c₋)) / (2πc) on [c₋, c₊], c± = (1 ± √α)², and (1 − α)₊ is the
teacher power in the null space of C that is never learned. As t → ∞,

    E_g(∞) = σ² (1 + α/(1 − α)) + (1 − α)   for α < 1,
    E_g(∞) = σ² (1 + 1/(α − 1))               for α > 1,

which diverges at α = 1. The simulation integrates the same gradient flow exactly for each
sampled data set (eigendecomposition of C), so it checks the random-matrix average only.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad

from ibcore.context import RunContext
from replications.saxe2018.linear_nets import make_teacher


def mp_edges(alpha: float) -> tuple[float, float]:
    """Support [c₋, c₊] of the non-zero eigenvalues of C for load α = P/N."""
    return (1 - np.sqrt(alpha)) ** 2, (1 + np.sqrt(alpha)) ** 2


def closed_form_eg(alpha: float, noise_var: float, t: float) -> float:
    """E_g(t) from the Marchenko–Pastur integral (t = ∞ allowed)."""
    lo, hi = mp_edges(alpha)

    def integrand(c: float) -> float:
        rho = np.sqrt(max((hi - c) * (c - lo), 0.0)) / (2 * np.pi * c)
        decay = 0.0 if np.isinf(t) else np.exp(-c * t)
        return rho * (decay**2 + noise_var * (1 - decay) ** 2 / c)

    value, _ = quad(integrand, lo, hi, limit=200)
    return float(noise_var + value + max(1.0 - alpha, 0.0))


def asymptotic_eg(alpha: float, noise_var: float) -> float:
    """E_g(∞) in closed form (the integral above evaluated analytically)."""
    if alpha < 1:
        return noise_var * (1 + alpha / (1 - alpha)) + (1 - alpha)
    if alpha > 1:
        return noise_var * (1 + 1 / (alpha - 1))
    return float("inf")


def simulated_eg(
    n_in: int, alpha: float, noise_var: float, times: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """E_g at `times` for one sampled teacher and data set, under exact gradient flow."""
    teacher = make_teacher(n_in, 1.0 / noise_var, rng)
    x, y = teacher.sample(int(round(alpha * n_in)), rng)
    evals, evecs = np.linalg.eigh(x.T @ x)
    evals = np.clip(evals, 0.0, None)
    b = evecs.T @ (x.T @ y)  # Xᵀy in the eigenbasis
    w_star = evecs.T @ teacher.w
    out = []
    for t in times:
        # w_i(t) = b_i (1 − e^{−c_i t}) / c_i, and 0 in the null space of C
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = np.where(evals > 1e-12, (1 - np.exp(-evals * t)) / evals, 0.0)
        if np.isinf(t):
            gain = np.where(evals > 1e-12, 1 / np.where(evals > 1e-12, evals, 1.0), 0.0)
        w = gain * b
        out.append(np.sum((w - w_star) ** 2) / n_in + noise_var)
    return np.array(out)


def run(cfg: dict, ctx: RunContext) -> dict:
    """Simulated vs. closed-form learning curves for each α in cfg["alphas"]."""
    times = np.array([*np.logspace(-1, np.log10(cfg["t_max"]), cfg["n_times"]), np.inf])
    rng = ctx.numpy_rng(1)
    metrics: dict = {"t": times[:-1].tolist()}
    for alpha in cfg["alphas"]:
        sims = np.array([
            simulated_eg(cfg["n_in"], alpha, cfg["noise_var"], times, rng)
            for _ in range(cfg["n_draws"])
        ]).mean(axis=0)
        theory = [closed_form_eg(alpha, cfg["noise_var"], t) for t in times[:-1]]
        key = f"alpha_{alpha:g}".replace(".", "p")
        metrics[key] = {
            "alpha": alpha,
            "sim_eg": sims[:-1].tolist(),
            "theory_eg": theory,
            "sim_eg_inf": float(sims[-1]),
            "max_rel_dev": float(np.max(np.abs(sims[:-1] - theory) / np.array(theory))),
        }
        limit = asymptotic_eg(alpha, cfg["noise_var"])
        if np.isfinite(limit):  # at alpha = 1 the limit is infinite: JSON metrics cannot hold it
            metrics[key]["theory_eg_inf"] = limit
    return metrics
