"""Blahut–Arimoto against the two closed-form rate–distortion functions (Cover & Thomas §10.3).

Binary source with Hamming distortion, R(D) = h(p) − h(D); Gaussian source with squared error
on a fine grid, R(D) = ½ log₂(σ²/D) with σ² the grid distribution's own variance. Each β is
solved from a uniform start; β runs high → low so D comes out in increasing order.
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.rd import (
    binary_hamming_rd,
    discretised_gaussian,
    gaussian_rd,
    grid_variance,
    hamming_source,
    rd_curve,
)


def _summary(points, closed_form) -> dict:
    dist = [p.distortion for p in points]
    rate = [p.rate_bits for p in points]
    exact = closed_form(np.array(dist)).tolist()
    return {
        "distortion": dist,
        "rate_bits": rate,
        "closed_form_bits": exact,
        "max_err_bits": float(np.max(np.abs(np.array(rate) - np.array(exact)))),
        "lagrangian": [p.lagrangian for p in points],
        "iterations": [p.iterations for p in points],
    }


def run_ba(cfg: dict, ctx: RunContext) -> dict:
    """Both sources; the metrics the rate–distortion claims read."""
    betas_b = sorted(cfg["binary_betas"], reverse=True)
    p, d = hamming_source(cfg["binary_p"])
    binary = _summary(rd_curve(p, d, betas_b, tol=cfg["tol"]),
                      lambda x: binary_hamming_rd(cfg["binary_p"], x))
    pg, dg, grid = discretised_gaussian(cfg["sigma"], cfg["grid_points"], cfg["grid_width"])
    var = grid_variance(pg, grid)
    betas_g = sorted(cfg["gauss_betas"], reverse=True)
    gauss = _summary(rd_curve(pg, dg, betas_g, tol=cfg["tol"]), lambda x: gaussian_rd(var, x))
    return {"binary": binary, "gauss": gauss, "grid_variance": var}
