"""Saxe et al. linear experiments: gradients, E_g and the Advani & Saxe closed form."""

import numpy as np
import pytest
import torch

from ibcore.context import RunContext
from ibcore.train.bias_free import BiasFreeMLP, sum_squared_error
from replications.saxe2018.advani_saxe import asymptotic_eg, closed_form_eg, simulated_eg
from replications.saxe2018.linear_experiments import linear111_snr
from replications.saxe2018.linear_nets import init_weights, make_teacher, train


def _analytic_grads(ws, x, y):
    """Gradients of ½ Σ (y − ŷ)² for ŷ = W_L … W_1 x, by hand (chain rule on the products)."""
    hs = [x.T]
    for w in ws:
        hs.append(w @ hs[-1])
    delta = hs[-1] - y[None, :]
    grads = [None] * len(ws)
    for layer in range(len(ws) - 1, -1, -1):
        grads[layer] = delta @ hs[layer].T
        delta = ws[layer].T @ delta
    return grads


def test_shared_trainer_takes_the_analytic_gradient_step():
    """One full-batch epoch of `train` (fit_stacked on a bias-free float64 net) is W ← W − η∇."""
    rng = np.random.default_rng(0)
    ws = init_weights([4, 3, 2, 1], 0.8, rng)
    x, y = rng.standard_normal((5, 4)), rng.standard_normal(5)
    seen = []
    train([w.copy() for w in ws], x, y, 0.05, 0, 1, 1, torch.Generator().manual_seed(0),
          lambda epoch, cur: seen.append(cur))
    expected = [w - 0.05 * g for w, g in zip(ws, _analytic_grads(ws, x, y))]
    for got, want in zip(seen[-1], expected):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_bias_free_net_has_no_trainable_bias_and_keeps_float64():
    w = [torch.randn(2, 3, 4, dtype=torch.float64), torch.randn(2, 4, 1, dtype=torch.float64)]
    net = BiasFreeMLP(w)
    assert [n for n, _ in net.named_parameters()] == ["weights.0", "weights.1"]
    x = torch.randn(7, 3, dtype=torch.float64)
    with torch.no_grad():
        out = net(x)
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out[1].numpy(), (x @ w[0][1] @ w[1][1]).numpy(), rtol=1e-12)
    np.testing.assert_allclose(net.products(1)[-1].numpy(), (w[0][1] @ w[1][1]).T.numpy(),
                               rtol=1e-12)
    loss = sum_squared_error(out, torch.zeros(2, 7, dtype=torch.float64))
    np.testing.assert_allclose(loss.numpy(), 0.5 * out[..., 0].square().sum(-1).numpy())


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
