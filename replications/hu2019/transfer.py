"""MNIST analogue of the VID transfer tables (Ahn et al., CVPR 2019, Tables 3–4).

A CNN teacher trained on MNIST; an MLP student trained from scratch on k examples per class
with one of Student (cross-entropy only), KD, FitNet, AT, NST or VID added to its loss. The
student's first hidden layer has c·49 units and is read as a c × 7 × 7 map, so the spatial
losses (AT, NST) and the 1×1-conv regressors (FitNet, VID) can face the teacher's 7 × 7 conv
map; the second hidden layer faces the teacher's penultimate vector through linear
regressors (FitNet, VID only: AT and NST are defined on maps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.nn.distill import ATLoss, FitNetLoss, KDLoss, NSTLoss, VIDLoss
from ibcore.nn.mlp import MLP
from ibcore.train import error_rate
from replications.hu2019.teacher import teacher_accuracy, train_teacher

METHODS = ("student", "kd", "fitnet", "at", "nst", "vid")
TRANSFER_METHODS = ("kd", "fitnet", "at", "nst")  # the baselines VID is compared against


@dataclass
class Term:
    """One transfer loss: student output `point` against the teacher's, weighted."""

    loss: nn.Module
    point: str  # "map" (hidden 1 ↔ conv map), "vec" (hidden 2 ↔ penultimate), "logits"
    weight: float


def transfer_terms(method: str, cfg: dict) -> list[Term]:
    """The loss terms each method adds to the student's cross-entropy."""
    c_s, c_t, v_s, v_t = cfg["student_map_channels"], cfg["teacher_c2"], cfg["student_h2"], \
        cfg["teacher_fc"]
    hid = cfg["regressor_hidden"]
    table = {
        "student": [],
        "kd": [Term(KDLoss(cfg["kd_temperature"]), "logits", cfg["kd_alpha"])],
        "fitnet": [Term(FitNetLoss(c_s, c_t, conv=True, hidden=hid), "map", cfg["lam_fitnet"]),
                   Term(FitNetLoss(v_s, v_t, conv=False, hidden=hid), "vec", cfg["lam_fitnet"])],
        "at": [Term(ATLoss(), "map", cfg["lam_at"])],
        "nst": [Term(NSTLoss(), "map", cfg["lam_nst"])],
        "vid": [Term(VIDLoss(c_s, c_t, conv=True, hidden=hid, init_var=cfg["vid_init_var"]),
                     "map", cfg["lam_vid"]),
                Term(VIDLoss(v_s, v_t, conv=False, hidden=hid, init_var=cfg["vid_init_var"]),
                     "vec", cfg["lam_vid"])],
    }
    return table[method]


def student_points(student: MLP, x: torch.Tensor, c_s: int) -> dict[str, torch.Tensor]:
    logits, acts = student.forward_with_activations(x)
    return {"map": acts[0].view(len(x), c_s, 7, 7), "vec": acts[1], "logits": logits}


def per_class_subset(y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random indices of every class, in class order."""
    return np.concatenate([rng.choice(np.flatnonzero(y == c), k, replace=False)
                           for c in range(10)])


def train_student(method: str, x: torch.Tensor, y: torch.Tensor,
                  teacher_points: dict[str, torch.Tensor], test: tuple[torch.Tensor, torch.Tensor],
                  cfg: dict, seed: int) -> tuple[float, list[float]]:
    """Full-batch Adam on CE + Σ λ_k·term_k; returns (test accuracy, VID bound trace).

    The trace is the per-element log-density E[log φ(t|s)] of the first VID term on the
    training set, every `log_every` steps (empty for other methods); up to the constant H(t)
    it is the variational lower bound on I(t; s) that VID maximises (Ahn et al. eq. 3).
    """
    torch.manual_seed(seed)
    c_s = cfg["student_map_channels"]
    student = MLP([784, c_s * 49, cfg["student_h2"], 10], "relu")
    terms = transfer_terms(method, cfg)
    params = list(student.parameters()) + [p for t in terms for p in t.loss.parameters()]
    opt = torch.optim.Adam(params, lr=cfg["student_lr"], weight_decay=cfg["student_wd"])
    ce_weight = 1.0 - cfg["kd_alpha"] if method == "kd" else 1.0
    trace: list[float] = []
    for step in range(cfg["student_steps"] + 1):
        pts = student_points(student, x, c_s)
        values = [t.loss(pts[t.point], teacher_points[t.point]) for t in terms]
        if method == "vid" and step % cfg["log_every"] == 0:
            trace.append(-values[0].item())
        if step == cfg["student_steps"]:
            break
        loss = ce_weight * F.cross_entropy(pts["logits"], y)
        loss = loss + sum(t.weight * v for t, v in zip(terms, values))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return 1.0 - error_rate(student, *test), trace


def run_transfer(cfg: dict, ctx: RunContext) -> dict:
    """One seed: train the teacher, then every method at every data-per-class."""
    d = mnist()
    n_t = cfg["teacher_train_size"]
    x_all, y_all = torch.from_numpy(d.train_x), torch.from_numpy(d.train_y)
    test = (torch.from_numpy(d.test_x), torch.from_numpy(d.test_y))
    teacher = train_teacher(x_all[:n_t], y_all[:n_t], cfg, ctx)
    t_acc = teacher_accuracy(teacher, *test)
    acc = {m: [] for m in METHODS}
    traces = []
    jobs = [(k, m) for k in cfg["per_class"] for m in METHODS]
    for i, (k, method) in enumerate(ctx.progress(jobs, desc="students")):
        idx = per_class_subset(d.train_y, k, ctx.numpy_rng(2, k))
        x, y = x_all[idx], y_all[idx]
        with torch.no_grad():
            logits, (fmap, vec) = teacher.forward_with_features(x)
        tp = {"map": fmap, "vec": vec, "logits": logits}
        a, trace = train_student(method, x, y, tp, test, cfg, ctx.seed * 1000 + i)
        acc[method].append(a)
        if trace:
            traces.append(trace)
    return summarise(acc, traces, t_acc, cfg)


def early_share(trace: list[float], frac: float) -> float:
    """Share of the bound's total rise that happens in the first `frac` of training."""
    j = int(round(frac * (len(trace) - 1)))
    total = trace[-1] - trace[0]
    return (trace[j] - trace[0]) / total if total > 0 else 1.0


def summarise(acc: dict[str, list[float]], traces: list[list[float]], t_acc: float,
              cfg: dict) -> dict:
    """The claim metrics (data per class in increasing order throughout)."""
    vid, stu = np.array(acc["vid"]), np.array(acc["student"])
    gain = (vid - stu).tolist()
    best_other = max(acc[m][0] for m in TRANSFER_METHODS)
    return {
        "teacher_acc": t_acc,
        "per_class": list(cfg["per_class"]),
        "acc": acc,
        "vid_gain": gain,
        "vid_gain_min": float(min(gain)),
        "vid_margin_smallest": float(acc["vid"][0] - best_other),
        "vid_bound": {
            "trace": traces,
            "early_share": [early_share(t, cfg["early_frac"]) for t in traces],
            "early_share_smallest": early_share(traces[0], cfg["early_frac"]),
            "rise": [t[-1] - t[0] for t in traces],
        },
    }
