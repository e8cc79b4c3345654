"""β-BNN mixture prior: its KL bound against exact / Monte Carlo values, gradients, snapshots."""

import math

import pytest
import torch

from ibcore.nn.bayes import BayesMLP
from ibcore.nn.bbnn import MixturePrior, kl_to_posterior, rate, snapshot


def _net(seed, log_sigma=-1.0):
    torch.manual_seed(seed)
    return BayesMLP([3, 2], "gaussian", init_log_sigma=log_sigma)


def test_single_component_bound_is_exact_kl():
    q, other = _net(0), _net(1)
    prior = MixturePrior([snapshot(other)])
    exact = kl_to_posterior(q, snapshot(other))
    assert prior.kl_bound(q).item() == pytest.approx(exact.item(), rel=1e-6)
    assert kl_to_posterior(q, snapshot(q)).item() == pytest.approx(0.0, abs=1e-5)


def test_bound_lies_between_mc_estimate_and_min_kl_plus_log_k():
    q = _net(0, log_sigma=-0.5)
    comps = [snapshot(_net(s, log_sigma=-0.3)) for s in (1, 2, 3)]
    prior = MixturePrior(comps)
    torch.manual_seed(5)
    with torch.no_grad():
        mc = prior.kl_mc(q, n_samples=4000).item()
        bound = prior.kl_bound(q).item()
        kls = [kl_to_posterior(q, c).item() for c in comps]
    assert mc <= bound + 0.05 * abs(bound)  # an upper bound (MC noise allowed)
    assert bound <= min(kls) + math.log(3) + 1e-6
    assert bound >= min(kls) - 1e-6


def test_mc_kl_matches_exact_for_one_component():
    q, other = _net(0), _net(1)
    prior = MixturePrior([snapshot(other)])
    torch.manual_seed(0)
    with torch.no_grad():
        mc = prior.kl_mc(q, n_samples=4000).item()
    assert mc == pytest.approx(kl_to_posterior(q, snapshot(other)).item(), rel=0.05)


def test_mixture_containing_q_has_small_kl_and_gradients_flow():
    q = _net(0)
    far = [snapshot(_net(s, log_sigma=-3.0)) for s in (7, 8)]
    near = MixturePrior([snapshot(q), *far])
    assert near.kl_bound(q).item() <= math.log(3) + 1e-5
    rate(q, near).backward()
    assert all(p.grad is not None for p in q.parameters())


def test_rate_without_prior_is_the_layers_own_kl_and_replace_swaps():
    q = _net(0)
    assert rate(q, None).item() == pytest.approx(q.kl().item(), rel=1e-6)
    prior = MixturePrior([snapshot(_net(1)), snapshot(_net(2))])
    prior.replace(0, snapshot(q))
    assert prior.k == 2 and torch.equal(prior.components[0][0][0], snapshot(q)[0][0])
    with pytest.raises(ValueError):
        MixturePrior([])
