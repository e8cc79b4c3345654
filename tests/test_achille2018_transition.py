"""The phase-transition summary and the stacked weight-IB training of achille2018."""

import math

import numpy as np
import pytest
import torch

from ibcore.context import RunContext
from replications.achille2018 import data, transition
from replications.achille2018.fit import evaluate, fit_ensemble
from replications.achille2018.pac_bound import linear_bound

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


CFG = {"hidden": [32], "noise": "lognormal", "weight_draws": 2, "init_log_alpha": -6.0,
       "log_alpha_max": 8.0, "lr": 0.02, "noise_lr": 0.2, "batch_size": 0, "max_steps": 300,
       "min_steps": 100, "window": 50, "tol": 0.01}


@pytest.fixture
def one_thread():
    """Tiny networks run far faster on one thread, especially on a shared machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("noise", ["lognormal", "gaussian"])
def test_small_beta_memorises_random_labels_and_large_beta_does_not(one_thread, noise):
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(30, 8, generator=gen)
    y = torch.randint(0, 10, (30,), generator=gen)
    model, conv = fit_ensemble({**CFG, "noise": noise}, RunContext(seed=0), x, y, [0.01, 10.0], 0)
    ev = evaluate(model, x, y, len(x), draws=4)
    assert ev["train_error"][0] < 0.15 < 0.6 < ev["train_error"][1]
    # memorising costs information: more than ln 10 nats per label at small β, less at large
    assert ev["kl_per_sample"][0] > math.log(10) > ev["kl_per_sample"][1]
    assert all(s <= CFG["max_steps"] for s in conv["steps"])


def test_corrupted_labels_are_nested_and_exact():
    y = torch.arange(40) % 10
    out = data.corrupted_labels(np.random.default_rng(0), y, [0.0, 0.25, 0.5, 1.0])
    assert torch.equal(out[0], y)
    changed = [set(torch.nonzero(row != y).flatten().tolist()) for row in out]
    assert changed[1] <= changed[2] <= changed[3]
    # a corrupted sample keeps the same random label at every level
    for i in changed[1]:
        assert out[1][i] == out[2][i] == out[3][i]
    assert len(changed[3]) <= 40 and len(changed[1]) <= 10


def test_linear_bound_matches_its_formula_and_needs_lambda_above_half():
    got = linear_bound(0.1, 50.0, 1000, 0.025, 1.0)
    assert got == pytest.approx(2 * (0.1 + (50.0 + math.log(40)) / 1000))
    assert linear_bound(0.6, 0.0, 10, 0.5, 1.0) == 1.0
    with pytest.raises(ValueError):
        linear_bound(0.1, 1.0, 10, 0.1, 0.5)
