"""Stacked mean-field Gaussian MLPs against the one-model layers; AT scale; paired students."""

import math

import pytest
import torch

from ibcore.nn.bayes import BayesMLP
from ibcore.nn.bbnn import MixturePrior, snapshot
from ibcore.train import Schedule, fit_stacked
from ibcore.train.stacked_bayes import StackedGaussianMLP, mean_probabilities, select
from replications.hu2019.at_scale import ATMeanLoss


def _pair(seed: int, log_sigma: float = -1.0, scale: float = 1.0):
    """A StackedGaussianMLP (1 model) and a BayesMLP with the same means and log σ."""
    torch.manual_seed(seed)
    one = BayesMLP([5, 4, 3], "gaussian", init_log_sigma=log_sigma)
    weights = [la.weight_mu.detach().T.unsqueeze(0) for la in one.layers]
    biases = [la.bias_mu.detach().view(1, 1, -1) for la in one.layers]
    stacked = StackedGaussianMLP(weights, biases, init_log_sigma=log_sigma, noise_scale=scale)
    return stacked, one


def test_kl_to_standard_normal_matches_the_layers():
    stacked, one = _pair(0, log_sigma=-0.7, scale=10.0)
    assert stacked.kl_standard().item() == pytest.approx(one.kl().item(), rel=1e-5)


def test_mixture_bound_matches_mixture_prior():
    stacked, one = _pair(0, log_sigma=-0.5)
    comps_one, comps_stacked = [], []
    for s in (1, 2, 3):
        other_s, other = _pair(s, log_sigma=-0.3)
        comps_one.append(snapshot(other))
        comps_stacked.append(other_s.posterior())
    exact = MixturePrior(comps_one).kl_bound(one).item()
    assert stacked.mixture_kl_bound(comps_stacked).item() == pytest.approx(exact, rel=1e-5)
    assert stacked.kl_to(comps_stacked[0]).item() == pytest.approx(
        MixturePrior(comps_one[:1]).kl_bound(one).item(), rel=1e-5)


def test_eval_mode_is_the_posterior_mean_and_training_samples():
    stacked, one = _pair(0)
    x = torch.randn(7, 5)
    stacked.eval()
    one.eval()
    assert torch.allclose(stacked(x)[0], one(x), atol=1e-6)
    assert torch.allclose(mean_probabilities(stacked.posterior(), x)[0],
                          torch.softmax(one(x), -1), atol=1e-6)
    stacked.train()
    assert not torch.allclose(stacked(x)[0], one(x), atol=1e-3)


def test_noise_scale_multiplies_log_sigma_and_the_trainer_moves_it():
    stacked = StackedGaussianMLP.torch_default([6, 4, 2], "relu", [0, 1], init_log_sigma=-5.0,
                                               noise_scale=10.0)
    assert stacked.log_sigmas()[0][0].flatten()[0].item() == pytest.approx(-5.0)
    assert stacked.rho_w[0].flatten()[0].item() == pytest.approx(-0.5)
    x, y = torch.randn(40, 6), torch.randint(0, 2, (40,))
    before = stacked.kl_standard().detach().clone()
    gens = [torch.Generator().manual_seed(s) for s in (0, 1)]
    fit_stacked(stacked, x, y, Schedule(20, 10, "adam", 1e-2), gens,
                extra_loss=lambda step: torch.tensor([1e-2, 0.0]) * step.model.kl_standard())
    after = stacked.kl_standard().detach()
    assert after[0] < before[0]  # the KL-weighted model lowered its rate
    assert select(stacked.posterior(), [1])[0][0].shape[0] == 1


def test_at_mean_loss_is_zagoruyko_komodakis_scale():
    torch.manual_seed(0)
    s, t = torch.randn(3, 4, 6, 5), torch.randn(3, 7, 6, 5)

    def at(f):  # their definition: channel mean of f², flattened, L2-normalised
        a = f.pow(2).mean(1).view(f.shape[0], -1)
        return a / a.norm(dim=1, keepdim=True)

    beta = 1000.0
    reference = beta / 2 * (at(s) - at(t)).pow(2).mean()
    assert (beta * ATMeanLoss()(s, t)).item() == pytest.approx(reference.item(), rel=1e-5)
    assert not math.isclose((beta * ATMeanLoss()(s, t)).item(), 30 * reference.item())
