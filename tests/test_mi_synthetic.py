"""Closed-form MI of the synthetic tasks (ibcore.mi.synthetic), checked independently."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import ibcore.mi as mi
from ibcore.mi import synthetic


@pytest.mark.parametrize(("dim", "nu", "rho"), [(1, 1.0, 0.0), (1, 3.0, 0.5), (2, 2.0, 0.3)])
def test_student_t_mi_matches_monte_carlo_log_density_ratio(dim, nu, rho):
    # I = E[log p(x, y) - log p(x) - log p(y)], densities from scipy.stats.multivariate_t
    x, y, true = synthetic.student_t_pair(400_000, dim, nu, rho, random_state=1)
    shape = np.eye(2 * dim)
    for k in range(dim):
        shape[k, dim + k] = shape[dim + k, k] = rho
    joint = stats.multivariate_t(np.zeros(2 * dim), shape, df=nu)
    marg = stats.multivariate_t(np.zeros(dim), np.eye(dim), df=nu)
    ratio = joint.logpdf(np.hstack([x, y])) - marg.logpdf(x) - marg.logpdf(y)
    se = ratio.std() / np.sqrt(len(ratio)) / np.log(2)
    assert ratio.mean() / np.log(2) == pytest.approx(true, abs=5 * se + 1e-3)


def test_student_t_tends_to_gaussian_and_adds_tail_dependence():
    assert synthetic.student_t_mi(2, 1e7, 0.5) == pytest.approx(-np.log2(1 - 0.25), abs=1e-6)
    assert synthetic.student_t_mi(1, 1.0, 0.0) > 0.3  # dependence through the shared scale


def test_sparse_and_transformed_tasks():
    x, y, true = synthetic.sparse_gaussians(50_000, 5, 2, 0.8, random_state=3)
    assert true == pytest.approx(-np.log2(1 - 0.64))
    # only the active pairs carry MI: the Gaussian plug-in (consistent here) sees the truth
    assert mi.estimate(x, y, method="gaussian") == pytest.approx(true, abs=0.01)
    for name in synthetic.TRANSFORMS:
        fx, fy, t2 = synthetic.transformed_gaussians(2000, 2, 0.7, name, random_state=4)
        x0, y0, t0 = synthetic.correlated_gaussians(2000, 2, 0.7, random_state=4)
        assert t2 == t0
        # strictly increasing per coordinate: the ranks, hence KSG on ranks, are unchanged
        assert (np.argsort(fx, axis=0) == np.argsort(x0, axis=0)).all()
    with pytest.raises(ValueError, match="unknown transform"):
        synthetic.transformed_gaussians(10, 1, 0.5, "cube")
    with pytest.raises(ValueError, match="n_active"):
        synthetic.sparse_gaussians(10, 2, 3, 0.5)
