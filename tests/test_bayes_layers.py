"""Bayesian layers: KL against Monte-Carlo and numerical integration, local reparameterisation."""

import math

import numpy as np
import pytest
import torch
from scipy import integrate

from ibcore.nn.bayes import (
    BayesMLP,
    LogUniformLinear,
    MeanFieldGaussianLinear,
    molchanov_kl,
    split_noise_parameters,
    total_kl,
)


def _randomise(layer: MeanFieldGaussianLinear, gen: torch.Generator) -> None:
    with torch.no_grad():
        layer.weight_mu.normal_(0.0, 0.7, generator=gen)
        layer.bias_mu.normal_(0.0, 0.7, generator=gen)
        layer.weight_log_sigma.uniform_(-1.5, 0.3, generator=gen)
        layer.bias_log_sigma.uniform_(-1.5, 0.3, generator=gen)


def _log_normal(w: torch.Tensor, mu: torch.Tensor, log_sigma: torch.Tensor) -> torch.Tensor:
    return -0.5 * ((w - mu) / log_sigma.exp()) ** 2 - log_sigma - 0.5 * math.log(2 * math.pi)


@pytest.mark.parametrize("prior_sigma", [0.5, 1.0, 2.0])
def test_gaussian_kl_matches_monte_carlo(prior_sigma):
    torch.manual_seed(0)
    layer = MeanFieldGaussianLinear(4, 3, prior_sigma=prior_sigma)
    _randomise(layer, torch.Generator().manual_seed(1))
    mu, log_sigma = (t.detach() for t in layer.posterior_params())
    draws = torch.stack([layer.sample_weights().detach() for _ in range(40000)])
    prior_ls = torch.full_like(mu, math.log(prior_sigma))
    zero = torch.zeros_like(mu)
    log_ratio = _log_normal(draws, mu, log_sigma) - _log_normal(draws, zero, prior_ls)
    per_draw = log_ratio.sum(dim=1)
    mc, se = per_draw.mean().item(), per_draw.std().item() / math.sqrt(len(per_draw))
    assert abs(layer.kl().item() - mc) < 4 * se + 1e-3


def test_kl_to_matches_kl_for_the_same_prior_and_accepts_dicts():
    layer = MeanFieldGaussianLinear(5, 2, prior_sigma=1.5)
    _randomise(layer, torch.Generator().manual_seed(2))
    log_s = math.log(1.5)
    flat = layer.kl_to(torch.zeros(layer.n_params), torch.full((layer.n_params,), log_s))
    as_dict = layer.kl_to(
        {"weight": torch.zeros(2, 5), "bias": torch.zeros(2)},
        {"weight": torch.full((2, 5), log_s), "bias": torch.full((2,), log_s)},
    )
    assert torch.allclose(flat, layer.kl(), atol=1e-5)
    assert torch.allclose(as_dict, layer.kl(), atol=1e-5)
    # KL to itself is zero; to a shifted prior it grows.
    mu, ls = (t.detach() for t in layer.posterior_params())
    assert abs(layer.kl_to(mu, ls).item()) < 1e-5
    assert layer.kl_to(mu + 1.0, ls).item() > 1.0
    with pytest.raises(ValueError):
        layer.kl_to(torch.zeros(3), torch.zeros(3))


def test_local_reparameterisation_output_mean_and_variance():
    torch.manual_seed(3)
    layer = MeanFieldGaussianLinear(6, 3)
    _randomise(layer, torch.Generator().manual_seed(4))
    x = torch.randn(1, 6).repeat(50000, 1)
    with torch.no_grad():
        out = layer(x, sample=True)
        mu_w, ls_w = layer.weight_mu, layer.weight_log_sigma
        want_mean = x[0] @ mu_w.T + layer.bias_mu
        want_var = (x[0] ** 2) @ torch.exp(2 * ls_w).T + torch.exp(2 * layer.bias_log_sigma)
    assert torch.allclose(out.mean(0), want_mean, atol=4 * (want_var / 50000).sqrt().max().item())
    assert torch.allclose(out.var(0), want_var, rtol=0.05)
    # Same moments as drawing whole weight matrices.
    with torch.no_grad():
        w = torch.stack([layer.sample_weights() for _ in range(20000)])
        n_w = layer.weight_mu.numel()
        direct = w[:, :n_w].reshape(-1, 3, 6) @ x[0] + w[:, n_w:]
    assert torch.allclose(direct.var(0), want_var, rtol=0.05)


def test_eval_mode_uses_the_mean_and_training_mode_samples():
    layer = MeanFieldGaussianLinear(3, 2, init_log_sigma=0.0)
    x = torch.randn(4, 3)
    layer.eval()
    assert torch.equal(layer(x), layer(x))
    layer.train()
    assert not torch.equal(layer(x), layer(x))
    assert torch.equal(layer(x, sample=False), layer.eval()(x))


def _exact_loguniform_kl(alpha: float) -> float:
    """KL up to a constant: −½ log α + E_{ε~N(0,1)} log|1 + √α ε| (−entropy + E log|w|)."""
    f = lambda e: (
        np.log(abs(1 + math.sqrt(alpha) * e) + 1e-300) * np.exp(-e * e / 2) / math.sqrt(2 * math.pi)
    )
    pole = -1 / math.sqrt(alpha)
    e_log = sum(integrate.quad(f, a, b, limit=400)[0] for a, b in [(-40, pole), (pole, 40)])
    return e_log - 0.5 * math.log(alpha)


def test_molchanov_kl_tracks_the_exact_kl_up_to_its_constant():
    alphas = [0.01, 0.1, 1.0, 10.0]
    approx = [molchanov_kl(torch.tensor([math.log(a)])).item() for a in alphas]
    exact = [_exact_loguniform_kl(a) for a in alphas]
    offsets = np.array(approx) - np.array(exact)
    assert np.ptp(offsets) < 0.03  # same function of α up to the additive constant
    assert all(np.diff(approx) < 0)  # more noise, less information (Prop. 4.1)
    assert molchanov_kl(torch.tensor([8.0])).item() == pytest.approx(0.0, abs=1e-3)


def test_loguniform_layer_caps_alpha_and_samples_with_the_right_variance():
    torch.manual_seed(5)
    layer = LogUniformLinear(4, 2, init_log_alpha=20.0, log_alpha_max=1.0)
    assert torch.all(layer.log_alpha == 1.0)
    x = torch.randn(1, 4).repeat(40000, 1)
    with torch.no_grad():
        out = layer(x, sample=True)
        want = (x[0] ** 2) @ (math.e * layer.weight**2).T
    assert torch.allclose(out.var(0), want, rtol=0.05)


def test_total_kl_sums_layers_and_noise_split():
    net = BayesMLP([5, 4, 3], layer="gaussian", act="tanh")
    assert torch.allclose(total_kl(net), net.layers[0].kl() + net.layers[1].kl())
    means, noise = split_noise_parameters(net)
    assert len(noise) == 4 and len(means) == 4
    lu = BayesMLP([5, 3], layer="loguniform")
    assert len(split_noise_parameters(lu)[1]) == 1
    x = torch.randn(7, 5)
    logits, acts = net.forward_with_activations(x)
    assert logits.shape == (7, 3) and len(acts) == 2
    net.eval()
    assert torch.equal(net(x), net(x))
    with pytest.raises(ValueError):
        total_kl(torch.nn.Linear(2, 2))
