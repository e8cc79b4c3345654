"""The NSR loss and its class-mean queue (ibcore.nn.nsr)."""

import pytest
import torch

from ibcore.nn.nsr import ClassMeanQueue, NSRLoss, steadiness


def test_loss_is_cross_entropy_when_responses_equal_class_means():
    y = torch.tensor([0, 1, 0, 1, 2])
    centres = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [3.0, 3.0]])
    h = centres[y].clone().requires_grad_(True)
    logits = torch.randn(5, 3)
    loss = NSRLoss(lam=5.0, n_classes=3)(logits, h, y)
    assert loss.item() == pytest.approx(torch.nn.functional.cross_entropy(logits, y).item())


def test_spread_responses_are_penalised_and_pulled_to_their_class_mean():
    y = torch.tensor([0, 0, 1, 1])
    h = torch.tensor([[0.0], [2.0], [4.0], [8.0]], requires_grad=True)
    loss_fn = NSRLoss(lam=1.0, n_classes=2)
    logits = torch.zeros(4, 2)
    extra = loss_fn(logits, h, y) - torch.nn.functional.cross_entropy(logits, y)
    assert extra.item() == pytest.approx((1 + 1 + 4 + 4) / 4)
    extra.backward()
    # gradient descent moves each response towards its class mean (1 and 6)
    assert h.grad[0] < 0 < h.grad[1] and h.grad[2] < 0 < h.grad[3]


def test_queue_keeps_only_the_last_batches():
    q = ClassMeanQueue(n_classes=2, length=2)
    q.push(torch.tensor([[100.0]]), torch.tensor([0]))
    q.push(torch.tensor([[1.0]]), torch.tensor([0]))
    q.push(torch.tensor([[3.0], [5.0]]), torch.tensor([0, 1]))
    means, counts = q.means()
    assert means[:, 0].tolist() == pytest.approx([2.0, 5.0])
    assert counts.tolist() == [2.0, 1.0]


def test_steadiness_uses_the_queue_means_not_the_batch_alone():
    y = torch.tensor([0, 0])
    means = torch.tensor([[0.0], [0.0]])
    assert steadiness(torch.tensor([[1.0], [1.0]]), y, means).item() == pytest.approx(1.0)


def test_zero_lambda_is_plain_cross_entropy_and_no_queue_growth():
    loss_fn = NSRLoss(lam=0.0, n_classes=3)
    logits, y = torch.randn(4, 3), torch.tensor([0, 1, 2, 0])
    out = loss_fn(logits, torch.randn(4, 7), y)
    assert out.item() == pytest.approx(torch.nn.functional.cross_entropy(logits, y).item())
    assert len(loss_fn.queue.items) == 0


def test_stacked_term_is_nsr_minus_cross_entropy_per_model():
    from ibcore.nn.nsr import StackedNSRTerm
    from ibcore.train import Step

    g = torch.Generator().manual_seed(0)
    h = torch.randn(2, 8, 3, generator=g)
    y = torch.randint(0, 3, (2, 8), generator=g)
    logits = torch.randn(2, 8, 3, generator=g)
    term = StackedNSRTerm([0.0, 2.5], n_classes=3, queue_length=2)
    ref = NSRLoss(2.5, n_classes=3, queue_length=2)
    for _ in range(3):  # the queue fills over steps, model by model
        step = Step(None, 0, None, None, y, logits, [h, logits])
        out = term(step)
        expected = ref(logits[1], h[1], y[1]) - torch.nn.functional.cross_entropy(logits[1], y[1])
        assert out[0].item() == 0.0
        assert out[1].item() == pytest.approx(expected.item(), rel=1e-6)
        h = h + 1.0
    assert len(term.queues[0].items) == 0 and len(term.queues[1].items) == 2
