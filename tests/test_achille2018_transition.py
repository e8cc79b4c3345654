"""The phase-transition summary and the weight-IB training loop of achille2018."""

import math

import numpy as np
import pytest
import torch

from ibcore.nn.bayes import BayesMLP
from replications.achille2018 import transition, weight_ib

BETAS = [0.01, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2]


def test_sharp_step_is_located_and_narrow():
    errors = [0.0, 0.0, 0.02, 0.1, 0.88, 0.9, 0.9]
    s = transition.summarise(BETAS, errors, beta_check=3.2)
    # midpoint 0.45 is crossed between 0.4 (0.1) and 0.8 (0.88), interpolated on log β
    t = (0.45 - 0.1) / (0.88 - 0.1)
    assert s["beta_star"] == pytest.approx(math.exp(math.log(0.4) + t * math.log(2)))
    assert s["beta_star_crossed"] == 1 and s["width_crossed"] == 1
    assert s["width"] < 2.0
    assert s["error_at_beta_check"] == pytest.approx(0.9)
    assert s["error_at_beta_star_over_10"] < 0.02


def test_gradual_decline_is_wide_and_a_missing_crossing_is_clamped():
    errors = np.linspace(0.0, 0.9, len(BETAS))
    assert transition.summarise(BETAS, errors)["width"] > 10
    never = transition.summarise(BETAS, [0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.5])
    assert never["beta_80"] == BETAS[-1] and never["width_crossed"] == 0
    with pytest.raises(ValueError):
        transition.summarise([1.0, 0.5], [0.0, 0.9])


def _fit(beta: float, seed: int = 0) -> tuple[float, float]:
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(30, 8, generator=gen)
    y = torch.randint(0, 10, (30,), generator=gen)
    torch.manual_seed(seed)
    model = BayesMLP([8, 32, 10], layer="loguniform", init_log_alpha=-6.0)
    weight_ib.train(
        model, x, y, beta, gen, lr=0.02, noise_lr=0.1, max_steps=250, min_steps=100, window=50
    )
    return weight_ib.sampled_error(model, x, y, draws=4), model.kl().item() / len(x)


@pytest.fixture
def one_thread():
    """Tiny networks run far faster on one thread, especially on a shared machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_small_beta_memorises_random_labels_and_large_beta_does_not(one_thread):
    err_small, kl_small = _fit(0.01)
    err_large, kl_large = _fit(10.0)
    assert err_small < 0.15
    assert err_large > 0.6
    # memorising costs information: more than ln 10 nats per label at small β, ~none at large
    assert kl_small > math.log(10) > kl_large
