"""MNIST VID analogue helpers: subsets, the early-share statistic, transfer terms per method."""

import numpy as np
import torch

from ibcore.nn.mlp import MLP
from replications.hu2019.transfer import (
    METHODS,
    early_share,
    per_class_subset,
    student_points,
    transfer_terms,
)

CFG = {"student_map_channels": 2, "teacher_c2": 4, "student_h2": 6, "teacher_fc": 5,
       "regressor_hidden": 3, "kd_temperature": 4.0, "kd_alpha": 0.9, "lam_fitnet": 1.0,
       "lam_at": 20.0, "lam_nst": 50.0, "lam_vid": 1.0, "vid_init_var": 5.0}


def test_per_class_subset_is_balanced_and_seeded():
    y = np.repeat(np.arange(10), 20)
    a = per_class_subset(y, 3, np.random.default_rng(0))
    b = per_class_subset(y, 3, np.random.default_rng(0))
    assert np.array_equal(a, b) and len(set(a)) == 30
    assert np.array_equal(np.bincount(y[a]), np.full(10, 3))


def test_early_share_separates_convex_linear_and_concave_rises():
    t = np.linspace(0, 1, 101)
    assert early_share(list(t**3), 0.1) < 0.01
    assert abs(early_share(list(t), 0.1) - 0.1) < 1e-9
    assert early_share(list(np.sqrt(t)), 0.1) > 0.3
    assert early_share([1.0, 0.5, 0.2], 0.5) == 1.0  # no rise at all: not "flat then rising"


def test_every_method_builds_terms_that_backpropagate_to_the_student():
    torch.manual_seed(0)
    x = torch.rand(4, 784)
    teacher = {"map": torch.rand(4, 4, 7, 7), "vec": torch.rand(4, 5),
               "logits": torch.randn(4, 10)}
    for method in METHODS:
        student = MLP([784, 2 * 49, 6, 10])
        terms = transfer_terms(method, CFG)
        assert (len(terms) == 0) == (method == "student")
        pts = student_points(student, x, 2)
        if terms:
            sum(t.weight * t.loss(pts[t.point], teacher[t.point]) for t in terms).backward()
            assert student.layers[0].weight.grad.abs().sum() > 0


def test_every_method_starts_from_the_same_student():
    from replications.hu2019.transfer import train_students

    torch.manual_seed(1)
    x, y = torch.rand(20, 784), torch.arange(20) % 10
    teacher = {"map": torch.rand(20, 4, 7, 7), "vec": torch.rand(20, 5),
               "logits": torch.randn(20, 10)}
    test = (torch.rand(200, 784), torch.arange(200) % 10)
    cfg = {**CFG, "student_lr": 1e-3, "student_wd": 0.0, "student_steps": 0,
           "fitnet_hint_steps": 0, "log_every": 1}
    accs, trace = train_students(x, y, teacher, test, cfg, seed=7)
    assert len(set(accs.values())) == 1 and len(trace) == 1


def test_stacked_terms_equal_the_loss_modules():
    """Model k's stacked term is the `ibcore.nn.distill` module's value for its method."""
    from replications.hu2019.stacked_transfer import Objective, build_stack

    torch.manual_seed(2)
    x = torch.rand(6, 784)
    teacher = {"map": torch.rand(6, 4, 7, 7), "vec": torch.rand(6, 5),
               "logits": torch.randn(6, 10)}
    methods = ["fitnet_joint", "vid", "at", "nst", "kd"]
    stack = build_stack(methods, 11, lambda m: transfer_terms(m, CFG), CFG)
    logits, acts = stack.forward_with_activations(x)
    kinds = {"fitnet_joint": "fitnet", "vid": "vid", "at": "at", "nst": "nst", "kd": "kd"}
    obj = Objective([[] for _ in methods], teacher, CFG)
    for k, method in enumerate(methods):
        torch.manual_seed(11)
        student = MLP([784, 2 * 49, 6, 10])
        torch.manual_seed(11 + 7919)
        terms = transfer_terms(method, CFG)
        pts = student_points(student, x, 2)
        for t in terms:
            ref = t.loss(pts[t.point], teacher[t.point]).item()
            got = obj.term(stack, k, kinds[method], t.point, logits, acts,
                           torch.arange(6)).item()
            assert abs(got - ref) <= 1e-5 * max(1.0, abs(ref)), (method, t.point, got, ref)


def test_two_stage_fitnet_and_joint_students_train():
    from replications.hu2019.transfer import train_students

    torch.manual_seed(3)
    x, y = torch.rand(20, 784), torch.arange(20) % 10
    teacher = {"map": torch.rand(20, 4, 7, 7), "vec": torch.rand(20, 5),
               "logits": torch.randn(20, 10)}
    test = (x, y)
    cfg = {**CFG, "student_lr": 3e-3, "student_wd": 0.0, "student_steps": 100,
           "fitnet_hint_steps": 5, "log_every": 25}
    accs, trace = train_students(x, y, teacher, test, cfg, seed=7)
    assert set(accs) == set(METHODS) and len(trace) == 5
    print(accs)
    # CE-led methods fit 20 training images in 100 full-batch steps (KD, two-stage FitNet and
    # NST follow this random teacher instead)
    assert min(accs[m] for m in ("student", "fitnet_joint", "at", "vid")) > 0.8
    assert trace[-1] > trace[0]  # VID's log-density rises
