"""Summarise an error-vs-β curve as a phase transition (Achille & Soatto, JMLR 2018, §7.1).

All interpolation is linear in log β, between neighbouring grid points.

* plateaus: the error at the smallest β (memorisation) and at the largest β (under-fitting);
* β*: where the error first crosses the midpoint of the two plateaus going up;
* width: β(80 % error) / β(20 % error), each the first upward crossing of that level.

A level the curve never crosses is clamped to the nearest end of the grid (and flagged), so
the summary stays finite: a clamped β* or width means the transition is at least that wide.
"""

from __future__ import annotations

import numpy as np


def crossing(betas: np.ndarray, errors: np.ndarray, level: float) -> tuple[float, bool]:
    """(β where `errors` first rises through `level`, whether it really crosses)."""
    log_b = np.log(np.asarray(betas, dtype=float))
    err = np.asarray(errors, dtype=float)
    if err[0] >= level:
        return float(betas[0]), False
    for i in range(1, len(err)):
        if err[i] >= level:
            t = (level - err[i - 1]) / (err[i] - err[i - 1])
            return float(np.exp(log_b[i - 1] + t * (log_b[i] - log_b[i - 1]))), True
    return float(betas[-1]), False


def error_at(betas: np.ndarray, errors: np.ndarray, beta: float) -> float:
    """Error interpolated at `beta` on log β (clamped to the grid's ends)."""
    return float(np.interp(np.log(beta), np.log(np.asarray(betas, dtype=float)), errors))


def summarise(betas: list[float], errors: list[float], beta_check: float = 3.0) -> dict:
    """The quantities the claims test; `betas` must be increasing."""
    b, e = np.asarray(betas, dtype=float), np.asarray(errors, dtype=float)
    if np.any(np.diff(b) <= 0):
        raise ValueError("betas must be strictly increasing")
    low, high = float(e[0]), float(e[-1])
    beta_star, star_ok = crossing(b, e, 0.5 * (low + high))
    b20, ok20 = crossing(b, e, 0.2)
    b80, ok80 = crossing(b, e, 0.8)
    return {
        "low_plateau": low,
        "high_plateau": high,
        "beta_star": beta_star,
        "beta_star_crossed": int(star_ok),
        "error_at_beta_star_over_10": error_at(b, e, beta_star / 10),
        "error_at_beta_check": error_at(b, e, beta_check),
        "beta_20": b20,
        "beta_80": b80,
        "width": b80 / b20,
        "width_crossed": int(ok20 and ok80),
    }
