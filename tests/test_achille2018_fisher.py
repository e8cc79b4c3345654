"""Fisher trace: agrees with a per-example autograd loop and with the closed form for logistic
regression; the model-label version vanishes as predictions become certain."""

import torch
from torch import nn

from ibcore.fisher import fisher_trace


def _loop_trace(model, x, labels):
    total = 0.0
    for xi, yi in zip(x, labels, strict=True):
        model.zero_grad()
        logp = torch.log_softmax(model(xi[None]), 1)[0, yi]
        g = torch.autograd.grad(logp, list(model.parameters()))
        total += sum((gi**2).sum().item() for gi in g)
    return total / len(x)


def test_true_label_trace_matches_a_loop():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3))
    x, y = torch.randn(20, 5), torch.randint(0, 3, (20,))
    assert abs(fisher_trace(model, x, y, labels="true", chunk=6) - _loop_trace(model, x, y)) < 1e-4


def test_model_label_trace_is_the_expectation_over_classes():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 3))
    x = torch.randn(15, 4)
    probs = torch.softmax(model(x), 1).detach()
    want = 0.0
    for c in range(3):
        per = [_loop_trace(model, x[i : i + 1], torch.tensor([c])) for i in range(15)]
        want += (probs[:, c] * torch.tensor(per)).mean().item()
    assert abs(fisher_trace(model, x) - want) < 1e-4


def test_binary_logistic_closed_form_and_certainty():
    # Confident predictions carry no Fisher information; uniform ones do.
    model = nn.Linear(2, 2, bias=False)
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    with torch.no_grad():
        model.weight.copy_(torch.zeros(2, 2))
    uncertain = fisher_trace(model, x)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[40.0, -40.0], [-40.0, 40.0]]))
    assert fisher_trace(model, x) < 1e-6 < uncertain
    # At zero weights p = ½: ∇_W log p(c|x) = (e_c − p) xᵀ, squared norm ½ ‖x‖² for each c.
    assert abs(uncertain - 0.5) < 1e-6
