"""The plain one-model loop (ibcore.train.fit) for what does not fit a stack."""

import torch
import torch.nn.functional as F

from ibcore.nn.mlp import MLP
from ibcore.train import fit, minibatches


def _ce(model, x, y):
    return F.cross_entropy(model(x), y)


def test_fit_is_the_textbook_loop_with_hooks_at_chosen_epochs():
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(120, 6, generator=g), torch.randint(0, 3, (120,), generator=g)
    torch.manual_seed(1)
    net = MLP([6, 5, 3], "tanh")
    torch.manual_seed(1)
    ref = MLP([6, 5, 3], "tanh")
    seen = {}
    fit(net, torch.optim.Adam(net.parameters(), lr=1e-2), _ce, x, y, n_epochs=3, batch_size=32,
        generator=torch.Generator().manual_seed(5), hook_epochs=[0, 3],
        hook=lambda e, m: seen.setdefault(e, _ce(m, x, y).item()))
    opt = torch.optim.Adam(ref.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(5)
    for _ in range(3):
        for idx in minibatches(120, 32, gen):
            opt.zero_grad()
            _ce(ref, x[idx], y[idx]).backward()
            opt.step()
    for a, b in zip(net.parameters(), ref.parameters()):
        assert torch.equal(a, b)
    assert sorted(seen) == [0, 3] and seen[3] < seen[0]
