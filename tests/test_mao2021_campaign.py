"""mao2021 campaign (Mao et al. 2021, Alg. 1 and the authors' code): what it elects and how."""

import numpy as np
import pytest
import torch

from ibcore.nn.init import base_std
from ibcore.nn.mlp import MLP
from replications.mao2021 import campaign, init_runs


def _data(n=600, d=12, n_classes=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % n_classes
    centres = torch.randn(n_classes, d, generator=g)
    x = centres[y] + 0.5 * torch.randn(n, d, generator=g)
    return x, y


OPT = campaign.Options(n_classes=4)
CFG = {"widths": [12, 8, 4], "alphas": [0.5], "output_alpha": 1.0, "pool_factor": 10,
       "pool_cap": 1000, "score": "l2std", "class_groups": True, "lsuv_batch": 50,
       "lsuv_tol": 0.1, "lsuv_max_iter": 10}


def test_inserted_rows_are_the_raw_elected_candidates():
    x, y = _data()
    g = torch.Generator().manual_seed(1)
    c = campaign.campaign_layer(x, y, 8, 0.5, "he", g, OPT)
    pool = campaign.draw_weights("he", 12, 8, 80, torch.Generator().manual_seed(1))
    assert torch.equal(c.weights, pool[c.chosen])  # w* = W·,i, not an orthogonal residual
    assert len(set(c.chosen.tolist())) == 8
    # the rows are not orthogonalised: raw Gaussian draws have non-zero inner products
    gram = c.weights @ c.weights.T
    assert gram.fill_diagonal_(0).abs().max() > 1e-3


def test_pool_is_ten_times_the_width_up_to_the_cap():
    assert campaign.pool_size(100, 10, 1000) == 1000  # the slides' 784 x 1000 pool
    assert campaign.pool_size(10, 10, 1000) == 100
    assert campaign.pool_size(256, 10, 1000) == 1000
    x, y = _data()
    c = campaign.campaign_layer(x, y, 8, 0.5, "xavier", torch.Generator().manual_seed(0), OPT)
    assert len(c.scores) == 80


def test_every_layer_including_the_output_is_campaigned_with_its_alpha():
    x, y = _data()
    model = MLP([12, 8, 4], act="relu")
    g = torch.Generator().manual_seed(2)
    camps = init_runs.initialise(model, "he", "ibci", CFG, x, y, g)
    assert len(camps) == 2  # hidden and output layer
    out = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]
    assert torch.equal(out.weight, camps[-1].weights)
    assert len(camps[-1].scores) == 40  # 10 x the 4 output units
    assert init_runs.layer_alphas("ibci", CFG) == [0.5, 1.0]
    assert init_runs.layer_alphas("iim", CFG) == [0.0, 1.0]
    assert init_runs.layer_alphas("tie", CFG) == [1.0, 1.0]
    # output layer scored on the linear outputs with alpha = 1: the score is the TIE criterion
    assert np.allclose(camps[-1].scores, camps[-1].tie)


def test_l2std_scores_follow_the_authors_definition():
    g = torch.Generator().manual_seed(3)
    r = torch.relu(torch.randn(40, 5, generator=g))
    y = torch.arange(40) % 4
    s = campaign.l2std_scores(campaign.response_stats(r, y, 4), alpha=0.3)
    means = torch.stack([r[y == c].mean(0) for c in range(4)])
    between = means.std(0)
    within = torch.stack([r[y == c].std(0) for c in range(4)]).mean(0)
    acc = between / between.norm() - within / within.norm()
    acc = acc / acc.norm()
    div = r.std(0) / r.std(0).norm()
    assert torch.allclose(s["score"].float(), 0.3 * acc + 0.7 * div, atol=1e-6)


def test_minmax_scores_are_our_variance_reading():
    g = torch.Generator().manual_seed(4)
    r = torch.randn(60, 6, generator=g)
    y = torch.arange(60) % 3
    s = campaign.minmax_scores(campaign.response_stats(r, y, 3), alpha=0.5)
    assert torch.allclose(s["iim"].float(), r.var(0, unbiased=False), atol=1e-5)
    assert float(s["score"].min()) >= 0.0 and float(s["score"].max()) <= 1.0


def test_class_groups_split_the_width_as_evenly_as_the_groups_allow():
    assert campaign.balanced_quota([50, 50, 50, 50], 10) == [2, 2, 3, 3]
    assert campaign.balanced_quota([1, 40, 0, 40], 10) == [1, 4, 0, 5]
    assert sum(campaign.balanced_quota([3, 7, 100, 2, 9], 30)) == 30
    with pytest.raises(ValueError):
        campaign.balanced_quota([2, 2], 5)
    x, y = _data()
    c = campaign.campaign_layer(x, y, 8, 0.5, "he", torch.Generator().manual_seed(5), OPT)
    # each elected candidate belongs to the class of its largest class-mean response
    responses = torch.relu(x @ c.weights.T)
    means = torch.stack([responses[y == k].mean(0) for k in range(4)])
    assert (means.argmax(0).numpy() == c.group).all()
    assert (np.diff(c.group) >= 0).all()  # stacked group by group


def test_election_prefers_orthogonal_candidates_of_equal_score():
    cands = torch.tensor([[1.0, 0.0, 0.0], [0.99, 0.1, 0.0], [0.0, 0.0, 1.0]])
    assert campaign.elect(cands, torch.ones(3), 2) == [0, 2]
    # a high score beats a small loss of orthogonality
    assert campaign.elect(cands, torch.tensor([1.0, 0.9, 0.05]), 2)[0] == 0
    with pytest.raises(ValueError):
        campaign.elect(cands, torch.ones(3), 4)


def test_candidates_use_the_layer_fans_and_biases_are_zero():
    x, y = _data(n=2000)
    model = MLP([12, 8, 4], act="relu")
    opt = campaign.Options(pool_factor=100, pool_cap=800, n_classes=4)
    camps = campaign.ibci(model, x, y, "xavier", [0.5, 1.0], torch.Generator().manual_seed(6), opt)
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    for layer in layers:
        assert float(layer.bias.detach().abs().max()) == 0.0
    # elected rows are raw draws with the std of the layer being filled (12 -> 8, then 8 -> 4)
    g = torch.Generator().manual_seed(6)
    pools = [campaign.draw_weights("xavier", 12, 8, 800, g),
             campaign.draw_weights("xavier", 8, 4, 400, g)]
    assert abs(float(pools[0].std()) - base_std("xavier", 12, 8)) < 0.02
    for layer, pool, c in zip(layers, pools, camps, strict=True):
        assert torch.equal(layer.weight.detach(), pool[c.chosen])
