"""PAC-Bayes bounds: kl inverse, ordering of the bounds, and a Monte-Carlo coverage check."""

import math

import numpy as np
import pytest

from ibcore import pacbayes


def test_binary_kl_known_values_and_errors():
    assert pacbayes.binary_kl(0.5, 0.5) == 0.0
    assert pacbayes.binary_kl(0.0, 0.5) == pytest.approx(math.log(2))
    assert pacbayes.binary_kl(0.1, 0.3) == pytest.approx(
        0.1 * math.log(1 / 3) + 0.9 * math.log(0.9 / 0.7)
    )
    with pytest.raises(ValueError):
        pacbayes.binary_kl(1.2, 0.5)


@pytest.mark.parametrize("q", [0.0, 0.02, 0.3, 0.9])
@pytest.mark.parametrize("budget", [1e-4, 0.05, 0.5])
def test_kl_inverse_is_the_largest_p_within_budget(q, budget):
    p = pacbayes.kl_inverse_upper(q, budget)
    assert p >= q
    if p < 1.0:
        assert pacbayes.binary_kl(q, p) == pytest.approx(budget, abs=1e-8)
        assert pacbayes.binary_kl(q, min(1.0, p + 1e-4)) > budget


def test_seeger_is_tighter_than_mcallester_and_both_grow_with_kl():
    args = dict(emp_risk=0.05, n=10000, delta=0.05)
    small = pacbayes.seeger_bound(kl=500.0, **args)
    large = pacbayes.seeger_bound(kl=5000.0, **args)
    assert 0.05 < small < large < 1.0
    assert small <= pacbayes.mcallester_bound(kl=500.0, **args)
    assert pacbayes.mcallester_bound(emp_risk=0.5, kl=1e6, n=10, delta=0.05) == 1.0
    bounds = pacbayes.gibbs_bound(0.05, 200000, 500.0, 10000, 0.025, 0.025)
    assert 0.05 < bounds["emp_risk_upper"] < bounds["seeger"] <= bounds["mcallester"]


def test_kl_bound_covers_the_true_risk_for_a_point_posterior():
    """Q = P = a fixed classifier (KL = 0): the bound must hold in ≥ 1 − δ of samples."""
    rng = np.random.default_rng(0)
    true_risk, n, delta = 0.2, 200, 0.1
    emp = rng.binomial(n, true_risk, size=2000) / n
    covered = np.mean([pacbayes.seeger_bound(e, 0.0, n, delta) >= true_risk for e in emp])
    assert covered >= 1 - delta
    # …and it is not trivially loose: the bound is within 0.15 of the risk on average.
    assert np.mean([pacbayes.seeger_bound(e, 0.0, n, delta) for e in emp]) < true_risk + 0.15


def test_mc_risk_upper_covers_the_mean():
    rng = np.random.default_rng(1)
    p, m = 0.07, 500
    est = rng.binomial(m, p, size=2000) / m
    assert np.mean([pacbayes.mc_risk_upper(e, m, 0.05) >= p for e in est]) >= 0.95
