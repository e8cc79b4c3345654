"""Xavier/He, LSUV and the IBCI neuron campaign (ibcore.nn.init)."""

import math

import pytest
import torch

from ibcore.nn import init
from ibcore.nn.mlp import MLP


def test_base_std_uses_the_layer_fans():
    assert init.base_std("xavier", 784, 100) == pytest.approx(math.sqrt(2 / 884))
    assert init.base_std("he", 784, 100) == pytest.approx(math.sqrt(2 / 784))
    with pytest.raises(ValueError):
        init.base_std("lecun", 3, 3)


def test_init_base_draws_with_the_stated_std_and_zero_bias():
    model = MLP([400, 300, 10])
    init.init_base(model, "he", torch.Generator().manual_seed(0))
    first = model.layers[0]
    assert first.weight.std().item() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert torch.all(first.bias == 0)


def test_class_variances_hand_example():
    # column [0, 2, 4, 6] with labels [0, 0, 1, 1]: class means 1 and 5 around 3
    r = torch.tensor([[0.0], [2.0], [4.0], [6.0]])
    y = torch.tensor([0, 0, 1, 1])
    between, within = init.class_variances(r, y, n_classes=3)  # class 2 absent: ignored
    assert between.item() == pytest.approx(4.0)
    assert within.item() == pytest.approx(1.0)
    assert (between + within).item() == pytest.approx(r.var(unbiased=False).item())


def test_candidate_scores_hand_example():
    # columns: a = [0,2,4,6] (S_B 4, S_W 1), b = [0,0,1,1] (S_B .25, S_W 0), c = [0,6,0,6] (0, 9)
    r = torch.tensor([[0.0, 0, 0], [2, 0, 6], [4, 1, 0], [6, 1, 6]])
    y = torch.tensor([0, 0, 1, 1])
    s = init.candidate_scores(r, y, 2, alpha=0.5)
    assert s["tie"].tolist() == pytest.approx([3.0, 0.25, -9.0])
    assert s["iim"].tolist() == pytest.approx([5.0, 0.25, 9.0])
    tie_n = [1.0, 9.25 / 12, 0.0]
    iim_n = [4.75 / 8.75, 0.0, 1.0]
    expected = [0.5 * a + 0.5 * b for a, b in zip(tie_n, iim_n, strict=True)]
    assert s["score"].tolist() == pytest.approx(expected)
    # the ablations rank by one criterion alone
    assert init.candidate_scores(r, y, 2, alpha=1.0)["score"].argmax().item() == 0
    assert init.candidate_scores(r, y, 2, alpha=0.0)["score"].argmax().item() == 2


def test_elect_prefers_orthogonal_over_slightly_better_parallel():
    w = torch.tensor([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0]])
    scores = torch.tensor([1.0, 0.99, 0.5])
    rows, chosen, groups = init.elect(w, scores, 2)
    assert chosen == [0, 2]  # candidate 1 is 99.5 % parallel to the first winner
    assert groups == [0, 0]
    assert torch.allclose(rows, torch.eye(2))


def test_elected_rows_orthogonal_within_each_group_and_keep_candidate_norms():
    g = torch.Generator().manual_seed(3)
    cands = torch.randn(40, 5, generator=g)
    scores = torch.rand(40, generator=g)
    rows, chosen, groups = init.elect(cands, scores, 12)
    assert groups == [0] * 5 + [1] * 5 + [2] * 2  # a 5-dim space holds 5 orthogonal rows
    assert len(set(chosen)) == 12
    assert chosen[0] == int(scores.argmax())
    for gid in range(3):
        block = rows[[i for i, gg in enumerate(groups) if gg == gid]]
        gram = block @ block.T
        off = gram - torch.diag(torch.diag(gram))
        assert off.abs().max().item() < 1e-4
    assert torch.allclose(rows.norm(dim=1), cands[chosen].norm(dim=1), rtol=1e-5)


def test_ibci_sets_orthogonal_first_layer_and_checks_alphas():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(200, 8, generator=g)
    y = torch.randint(0, 3, (200,), generator=g)
    model = MLP([8, 6, 5, 3])
    camps = init.ibci(model, x, y, "he", [0.3, 0.7], g, n_classes=3)
    w = model.layers[0].weight.detach()
    gram = w @ w.T
    assert (gram - torch.diag(torch.diag(gram))).abs().max().item() < 1e-4
    assert len(camps) == 2 and len(camps[0].scores) == 30  # min(5 * 6, 1000) candidates
    assert camps[0].scores[camps[0].chosen].mean() > camps[0].scores.mean()
    with pytest.raises(ValueError):
        init.ibci(MLP([8, 6, 3]), x, y, "he", [0.5, 0.5], g, n_classes=3)


def test_lsuv_gives_unit_output_variance_per_layer():
    g = torch.Generator().manual_seed(1)
    batch = torch.rand(256, 50, generator=g) * 3.0
    model = MLP([50, 40, 30, 10])
    variances = init.lsuv(model, batch, g, tol=0.1, max_iter=10)
    h = batch
    for i, layer in enumerate(model.layers):
        out = layer(h).detach()
        assert abs(out.var().item() - 1.0) < 0.1
        assert out.var().item() == pytest.approx(variances[i], rel=1e-5)
        h = torch.relu(out)
