"""Published-scale VID pieces on random tensors; the experiment refuses to run without GPU/data."""

import pytest
import torch

from ibcore.context import RunContext
from ibcore.nn.wrn import WideResNet
from replications.hu2019.paper_scale import (
    VGG9_HINTS,
    FlatTeacher,
    Hooked,
    MLPStudent,
    method_terms,
    run_cifar10,
    vgg9,
)

CFG = {"kd_temperature": 4.0, "kd_alpha": 0.9, "lam_fitnet": 1.0, "lam_at": 1000.0,
       "lam_nst": 50.0, "lam_vid": 1.0}


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU refusal")
def test_cifar_experiment_raises_a_clear_error_without_gpu():
    with pytest.raises(RuntimeError, match="GPU"):
        run_cifar10({}, RunContext(seed=0))


def test_vgg9_hints_are_the_three_conv_stages():
    torch.manual_seed(0)
    net = Hooked(vgg9(5), VGG9_HINTS)
    logits, feats = net.forward_with_features(torch.randn(2, 3, 64, 64))
    assert logits.shape == (2, 5)
    assert [f.shape[1] for f in feats] == [64, 128, 256]


@pytest.mark.parametrize("method", ["student", "kd", "fitnet", "vid"])
def test_mlp_student_losses_against_a_small_wrn_teacher(method):
    torch.manual_seed(0)

    class Teacher(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = WideResNet(10, 1)

        def forward_with_features(self, x):
            logits, feats = self.net.forward_with_features(x)
            return logits, [feats[-1]]

    teacher = FlatTeacher(Teacher()).eval()
    student = MLPStudent(32, depth=2)
    x = torch.randn(3, 3, 32, 32)
    t_logits, t_feats = teacher.forward_with_features(x)
    s_logits, s_feats = student.forward_with_features(x)
    terms = method_terms(method, [32], [t_feats[0].shape[1]], [False], CFG)
    loss = s_logits.sum() * 0
    for mod, i, lam in terms:
        s, t = (s_logits, t_logits) if i < 0 else (s_feats[-1], t_feats[i].detach())
        loss = loss + lam * mod(s, t)
    if terms:
        loss.backward()
        assert student.hidden[0].weight.grad.abs().sum() > 0
