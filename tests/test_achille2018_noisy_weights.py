"""ibcore.train.noisy_weights: the posteriors, their KLs and the stopping rule."""

import math

import pytest
import torch

from ibcore.nn.bayes import molchanov_kl
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.noisy_weights import (
    Converged,
    Convergence,
    StackedNoisyMLP,
    gaussian_kl_per_model,
    molchanov_kl_per_model,
)


def _stack(noise, m=3, widths=(4, 6, 3), **kw):
    base = StackedMLP.torch_default(list(widths), "relu", list(range(m)), layout="batch")
    gen = torch.Generator().manual_seed(0)
    return StackedNoisyMLP(base, noise, kw.pop("init", -6.0), generator=gen, **kw)


def test_lognormal_kl_is_half_log_alpha_from_the_cap():
    model = _stack("lognormal", noise_scale=10.0, log_alpha_max=8.0)
    n = 4 * 6 + 6 * 3
    assert model.kl().tolist() == pytest.approx([0.5 * (8.0 + 6.0) * n] * 3)
    with torch.no_grad():
        model.noise_raw[0][1].fill_(2.0)  # log α = 20, beyond the cap: 0 nats
    assert model.kl()[1].item() == pytest.approx(0.5 * 14.0 * 6 * 3)


def test_lognormal_weights_have_unit_mean_noise_with_log_variance_alpha():
    model = _stack("lognormal", m=1, widths=(1, 1), init=math.log(0.5), draws=1)
    with torch.no_grad():
        model.weights[0].fill_(2.0)
        model.biases[0].zero_()
    x = torch.ones(1, 20000, 1)
    model.draws = 20000  # one weight draw per example
    out = model(x).flatten()
    assert out.mean().item() == pytest.approx(2.0, rel=0.03)  # E ε = 1
    assert torch.log(out / 2).var().item() == pytest.approx(0.5, rel=0.05)  # Var log ε = α


def test_gaussian_arm_and_mean_field_kls_match_the_single_model_formulas():
    la = torch.randn(2, 4, 5)
    want_arm = molchanov_kl(la[1]).item()
    assert molchanov_kl_per_model(la)[1].item() == pytest.approx(want_arm, rel=1e-6)
    mu, ls, m0 = torch.randn(2, 3, 3), torch.randn(2, 3, 3) - 2, torch.randn(2, 3, 3)
    s = math.log(0.1)
    want = 0.5 * (torch.exp(2 * (ls[0] - s)) + (mu[0] - m0[0]) ** 2 / 0.01 - 1) + (s - ls[0])
    got = gaussian_kl_per_model(mu, ls, m0, s)[0].item()
    assert got == pytest.approx(want.sum().item(), rel=1e-5)
    model = _stack("mean_field", init=-4.0, prior_sigma=0.1)
    assert (model.kl() > 0).all()  # at init the means equal the prior's centre, σ < σ_p


def test_each_models_kl_gradient_reaches_only_that_model():
    model = _stack("lognormal", noise_scale=10.0)
    model.kl()[1].backward()
    g = model.noise_raw[0].grad
    assert g[0].abs().sum() == 0 and g[2].abs().sum() == 0 and g[1].abs().sum() > 0


def test_convergence_stops_when_all_models_settle_and_restores_snapshots():
    torch.manual_seed(0)
    x, y = torch.rand(20, 4), torch.randint(0, 3, (20,))
    model = _stack("gaussian", noise_scale=10.0)
    conv = Convergence(model, [0.01, 0.1, 1.0], n=20, window=20, tol=0.05, min_steps=40)
    sched = Schedule(n_epochs=2000, batch_size=0, optimizer="adam", lr=0.01)
    gens = [torch.Generator() for _ in range(3)]
    with pytest.raises(Converged):
        fit_stacked(model, x, y, sched, gens, extra_loss=conv)
    summary = conv.summary()
    assert summary["converged"] == [1, 1, 1]
    assert all(40 <= s < 2000 and s % 20 == 0 for s in summary["steps"])
    first = min(range(3), key=lambda k: summary["steps"][k])
    saved = conv.snapshots[first][0].clone()
    conv.restore()
    assert torch.equal(model.weights[0][first], saved)
