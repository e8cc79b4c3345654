"""MNIST analogue of the VID transfer tables (Ahn et al., CVPR 2019, Tables 3–4).

A CNN teacher trained on MNIST; an MLP student trained from scratch on k examples per class
with one of Student (cross-entropy only), KD, FitNet (Romero et al.'s two stages, and a joint
arm), AT, NST or VID added to its loss. The
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

from ibcore.context import RunContext
from ibcore.data import mnist
from ibcore.nn.distill import FitNetLoss, KDLoss, NSTLoss, VIDLoss
from ibcore.nn.mlp import MLP
from replications.hu2019.at_scale import ATMeanLoss
from replications.hu2019.stacked_transfer import Objective, accuracies, build_stack, fit_students
from replications.hu2019.teacher import teacher_accuracy, train_teacher

METHODS = ("student", "kd", "fitnet", "fitnet_joint", "at", "nst", "vid")
# the baselines VID is compared against
TRANSFER_METHODS = ("kd", "fitnet", "fitnet_joint", "at", "nst")


@dataclass
class Term:
    """One transfer loss: student output `point` against the teacher's, weighted."""

    loss: nn.Module
    point: str  # "map" (hidden 1 ↔ conv map), "vec" (hidden 2 ↔ penultimate), "logits"
    weight: float


def transfer_terms(method: str, cfg: dict) -> list[Term]:
    """The loss terms each method adds to the student's cross-entropy.

    `fitnet` and `fitnet_joint` share their hint terms; `fitnet` uses them in Romero et al.'s
    first stage only (`train_student`). AT is `ATMeanLoss`, so λ_AT is Zagoruyko &
    Komodakis's β.
    """
    c_s, c_t, v_s, v_t = cfg["student_map_channels"], cfg["teacher_c2"], cfg["student_h2"], \
        cfg["teacher_fc"]
    hid = cfg["regressor_hidden"]
    hints = [Term(FitNetLoss(c_s, c_t, conv=True, hidden=hid), "map", cfg["lam_fitnet"]),
             Term(FitNetLoss(v_s, v_t, conv=False, hidden=hid), "vec", cfg["lam_fitnet"])]
    table = {
        "student": [],
        "kd": [Term(KDLoss(cfg["kd_temperature"]), "logits", cfg["kd_alpha"])],
        "fitnet": hints,
        "fitnet_joint": hints,
        "at": [Term(ATMeanLoss(), "map", cfg["lam_at"])],
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


def method_plan(method: str, cfg: dict) -> tuple[float, list[tuple[str, str, float]]]:
    """(weight of the cross-entropy, [(term kind, hint point, λ)]) of a method's (last) stage.

    `fitnet` here is Romero et al.'s second stage: the KD objective from the hinted student.
    """
    kd = (1.0 - cfg["kd_alpha"], [("kd", "logits", cfg["kd_alpha"])])
    hints = [("fitnet", "map", cfg["lam_fitnet"]), ("fitnet", "vec", cfg["lam_fitnet"])]
    return {
        "student": (1.0, []),
        "kd": kd,
        "fitnet": kd,
        "fitnet_joint": (1.0, hints),
        "at": (1.0, [("at", "map", cfg["lam_at"])]),
        "nst": (1.0, [("nst", "map", cfg["lam_nst"])]),
        "vid": (1.0, [("vid", "map", cfg["lam_vid"]), ("vid", "vec", cfg["lam_vid"])]),
    }[method]


def train_students(x: torch.Tensor, y: torch.Tensor, teacher_points: dict[str, torch.Tensor],
                   test: tuple[torch.Tensor, torch.Tensor], cfg: dict, seed: int
                   ) -> tuple[dict[str, float], list[float]]:
    """Every method's student on (x, y), stacked; (test accuracy per method, VID trace).

    Full-batch Adam (`ibcore.train.fit_stacked`, `stacked_transfer`). All students start from
    the same weights (`seed`). `fitnet` is Romero et al.'s two stages: (1) the hint regression
    alone for `fitnet_hint_steps` steps (the output layer gets no gradient), (2) the KD
    objective from the hinted student, alongside the other methods. The trace is the
    per-element log-density E[log φ(t|s)] of VID's map term on the training set every
    `log_every` steps; up to the constant H(t) it is the variational lower bound on I(t; s)
    that VID maximises (Ahn et al. eq. 3).
    """
    def terms_of(method: str) -> list[Term]:
        return transfer_terms(method, cfg)

    pre = build_stack(["fitnet"], seed, terms_of, cfg)
    hint_plan = [[("fitnet", t.point, t.weight) for t in terms_of("fitnet")]]
    fit_students(pre, x, y, Objective(hint_plan, teacher_points, cfg), [0.0],
                 cfg["fitnet_hint_steps"], cfg)
    stack = build_stack(METHODS, seed, terms_of, cfg)
    j = METHODS.index("fitnet")
    with torch.no_grad():
        for dst, src in zip([*stack.weights, *stack.biases], [*pre.weights, *pre.biases]):
            dst[j] = src[0]
    plans = [method_plan(m, cfg) for m in METHODS]
    objective = Objective([p[1] for p in plans], teacher_points, cfg)
    v, steps, everyone = METHODS.index("vid"), cfg["student_steps"], torch.arange(len(x))
    trace: list[float] = []

    @torch.no_grad()
    def log_bound(_epoch: int, model) -> None:
        logits, acts = model.forward_with_activations(x)
        trace.append(-objective.term(model, v, "vid", "map", logits, acts, everyone).item())

    fit_students(stack, x, y, objective, [p[0] for p in plans], steps, cfg, hook=log_bound,
                 hook_epochs=range(0, steps + 1, cfg["log_every"]))
    return dict(zip(METHODS, accuracies(stack, test))), trace


def run_transfer(cfg: dict, ctx: RunContext) -> dict:
    """One seed: train the teacher, then every method at every data-per-class."""
    d = mnist()
    n_t, n_v = cfg["teacher_train_size"], cfg["teacher_val_size"]
    x_all, y_all = torch.from_numpy(d.train_x), torch.from_numpy(d.train_y)
    test = (torch.from_numpy(d.test_x), torch.from_numpy(d.test_y))
    val = (x_all[n_t: n_t + n_v], y_all[n_t: n_t + n_v])
    teacher, t_epochs = train_teacher(x_all[:n_t], y_all[:n_t], val, cfg, ctx)
    t_acc = teacher_accuracy(teacher, *test)
    acc = {m: [] for m in METHODS}
    traces = []
    for j, k in enumerate(ctx.progress(cfg["per_class"], desc="students")):
        idx = per_class_subset(d.train_y[:n_t], k, ctx.numpy_rng(2, k))
        x, y = x_all[idx], y_all[idx]
        with torch.no_grad():
            logits, (fmap, vec) = teacher.forward_with_features(x)
        tp = {"map": fmap, "vec": vec, "logits": logits}
        # one student seed per (run seed, data size): every method starts from it
        accs, trace = train_students(x, y, tp, test, cfg, ctx.seed * 1000 + j)
        for method in METHODS:
            acc[method].append(accs[method])
        traces.append(trace)
    return {**summarise(acc, traces, t_acc, cfg), "teacher_epochs": t_epochs}


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
        # the gain at the smallest data size minus the gain at the largest
        "vid_gain_small_minus_large": float(gain[0] - gain[-1]),
        "vid_bound": {
            "trace": traces,
            "early_share": [early_share(t, cfg["early_frac"]) for t in traces],
            "early_share_smallest": early_share(traces[0], cfg["early_frac"]),
            "rise": [t[-1] - t[0] for t in traces],
        },
    }
