"""Saxe et al. linear experiments: gradients, E_g and the Advani & Saxe closed form."""

import numpy as np
import pytest

from ibcore.context import RunContext
from replications.saxe2018.advani_saxe import asymptotic_eg, closed_form_eg, simulated_eg
from replications.saxe2018.linear_experiments import linear111_snr
from replications.saxe2018.linear_nets import batch_grads, init_weights, make_teacher, products


def test_batch_grads_match_finite_differences():
    rng = np.random.default_rng(0)
    ws = init_weights([4, 3, 2, 1], 0.8, rng)
    x, y = rng.standard_normal((5, 4)), rng.standard_normal(5)

    def loss(ws):
        return 0.5 * np.sum((x @ products(ws)[-1].T - y[:, None]) ** 2)

    grads = batch_grads(ws, x, y)
    eps = 1e-6
    for layer in range(3):
        for idx in np.ndindex(ws[layer].shape):
            plus = [w.copy() for w in ws]
            plus[layer][idx] += eps
            minus = [w.copy() for w in ws]
            minus[layer][idx] -= eps
            fd = (loss(plus) - loss(minus)) / (2 * eps)
            assert grads[layer][idx] == pytest.approx(fd, rel=1e-5, abs=1e-7)


def test_generalisation_error_matches_fresh_samples():
    rng = np.random.default_rng(1)
    teacher = make_teacher(20, snr=2.0, rng=rng)
    w = teacher.w + rng.normal(size=20) * 0.5
    x, y = teacher.sample(200_000, rng)
    assert teacher.generalisation_error(w) == pytest.approx(np.mean((x @ w - y) ** 2),
                                                            rel=0.02)


def test_teacher_signal_variance_is_one_with_relevant_subset():
    rng = np.random.default_rng(2)
    teacher = make_teacher(100, snr=1.0, rng=rng, relevant=30)
    assert np.all(teacher.w[30:] == 0)
    x, _ = teacher.sample(100_000, rng)
    assert np.var(x @ teacher.w) == pytest.approx(1.0, rel=0.35)  # one draw of w̄


@pytest.mark.parametrize("alpha", [0.5, 2.0, 4.0])
def test_closed_form_integral_reaches_its_analytic_limit(alpha):
    assert closed_form_eg(alpha, 1.0, np.inf) == pytest.approx(asymptotic_eg(alpha, 1.0),
                                                                 rel=1e-4)


def test_closed_form_starts_at_signal_plus_noise_and_diverges_at_one():
    assert closed_form_eg(2.0, 0.5, 0.0) == pytest.approx(1.5, rel=1e-6)
    assert asymptotic_eg(1.0, 1.0) == np.inf
    assert asymptotic_eg(0.99, 1.0) > 50


def test_simulation_agrees_with_closed_form_at_alpha_4():
    rng = np.random.default_rng(3)
    sims = np.mean([simulated_eg(100, 4.0, 1.0, np.array([np.inf]), rng) for _ in range(10)])
    assert sims == pytest.approx(asymptotic_eg(4.0, 1.0), rel=0.05)


def test_linear111_snr_falls():
    cfg = {"n_train": 50, "teacher_w": 1.0, "noise_var": 1.0, "init_scale": 0.01, "lr": 0.02,
           "n_epochs": 100, "n_log": 12, "mi_noise_var": 1.0}
    m = linear111_snr(cfg, RunContext(seed=0))
    assert m["min_log10_drop"] > 0.3
    assert m["ixt"][-1] > m["ixt"][0]
