"""All transfer methods of one (seed, data size) trained as one stack (`ibcore.train.fit_stacked`).

Model k of the stack is the MLP student of method `methods[k]`. Every student starts from the
same initial weights (one seed per (run seed, data size)), so methods compare as paired
differences. The regressors of FitNet and VID (one hidden layer, 1×1 convolutions on the map
hint, linear on the vector hint) are stacked parameters of the same model, in shared slots:
model k uses the slots of its own method and leaves the others untouched (their gradient is
zero, so Adam does not move them). They are initialised exactly as the modules
`transfer.transfer_terms` builds for that method would be.

Per-model objective: w_k · CE + Σ λ · term, the terms computed from model k's slices only
(`ibcore.nn.distill` definitions: FitNet ½·MSE per element, VID Gaussian NLL per element with
σ²_c = softplus(α_c) + ε, KD, NST; AT at Zagoruyko & Komodakis's scale, `at_scale`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from ibcore.nn.distill import KDLoss, NSTLoss
from ibcore.train import Schedule, StackedMLP, fit_stacked
from ibcore.train.batched import Step
from ibcore.train.evaluate import error_rates
from ibcore.train.losses import cross_entropy
from replications.hu2019.at_scale import ATMeanLoss

REGRESSOR_POINTS = ("map", "vec")


class StudentStack(StackedMLP):
    """M students plus stacked two-layer regressors per hint point and VID variances α."""

    def __init__(self, base: StackedMLP, regressors: dict[str, torch.Tensor]) -> None:
        super().__init__(list(base.weights), list(base.biases), base.act_name, base.layout)
        self.reg = nn.ParameterDict({k: nn.Parameter(v.detach().clone())
                                     for k, v in regressors.items()})

    def regress(self, k: int, point: str, s: torch.Tensor) -> torch.Tensor:
        """Model k's regressor of `point` on rows s (…, in): (…, out)."""
        r = self.reg
        h = F.relu(s @ r[f"{point}_w1"][k] + r[f"{point}_b1"][k])
        return h @ r[f"{point}_w2"][k] + r[f"{point}_b2"][k]


def _regressor_slots(methods: Sequence[str], terms_of, m_dims: dict[str, tuple[int, int, int]]
                     ) -> dict[str, torch.Tensor]:
    """Stacked regressor weights: model k's slice from its method's modules, zeros if none
    (model k never reads a slot its method has no term for)."""
    m = len(methods)
    slots: dict[str, torch.Tensor] = {}
    for point, (d_in, hid, d_out) in m_dims.items():
        slots[f"{point}_w1"] = torch.zeros(m, d_in, hid)
        slots[f"{point}_b1"] = torch.zeros(m, 1, hid)
        slots[f"{point}_w2"] = torch.zeros(m, hid, d_out)
        slots[f"{point}_b2"] = torch.zeros(m, 1, d_out)
        slots[f"{point}_alpha"] = torch.zeros(m, 1, d_out)
    used: set[str] = set()
    for k, method in enumerate(methods):
        for term in terms_of(method):
            reg = getattr(term.loss, "regressor", None)
            if reg is None:
                continue
            used |= {f"{term.point}_{n}" for n in ("w1", "b1", "w2", "b2")}
            first, last = reg[0], reg[2]
            w1 = first.weight.detach().reshape(first.weight.shape[0], -1).T
            w2 = last.weight.detach().reshape(last.weight.shape[0], -1).T
            slots[f"{term.point}_w1"][k] = w1
            slots[f"{term.point}_b1"][k, 0] = first.bias.detach()
            slots[f"{term.point}_w2"][k] = w2
            slots[f"{term.point}_b2"][k, 0] = last.bias.detach()
            if hasattr(term.loss, "alpha"):
                slots[f"{term.point}_alpha"][k, 0] = term.loss.alpha.detach()
                used.add(f"{term.point}_alpha")
    # only slots some model uses: an unused parameter would have no gradient at all
    return {name: t for name, t in slots.items() if name in used}


def build_stack(methods: Sequence[str], seed: int, terms_of, cfg: dict) -> StudentStack:
    """The students (all from `seed`) and each method's regressors (from `seed` + 7919)."""
    c_s = cfg["student_map_channels"]
    base = StackedMLP.torch_default([784, c_s * 49, cfg["student_h2"], 10], "relu",
                                    [seed] * len(methods))

    def terms_seeded(method: str):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed + 7919)  # the regressors, apart from the student
            return terms_of(method)

    hid = cfg["regressor_hidden"]
    dims = {"map": (c_s, hid, cfg["teacher_c2"]), "vec": (cfg["student_h2"], hid,
                                                          cfg["teacher_fc"])}
    return StudentStack(base, _regressor_slots(methods, terms_seeded, dims))


class Objective:
    """Per-model transfer terms for `fit_stacked`'s `extra_loss` (and the VID bound trace).

    `plan[k]` lists (kind, point, weight) for model k: kind ∈ {"fitnet", "vid", "kd", "at",
    "nst"}. Teacher outputs are indexed by the step's sample indices, so any batching works.
    """

    def __init__(self, plan: Sequence[Sequence[tuple[str, str, float]]],
                 teacher: dict[str, torch.Tensor], cfg: dict) -> None:
        self.plan, self.teacher, self.c_s = plan, teacher, cfg["student_map_channels"]
        self.kd, self.at, self.nst = KDLoss(cfg["kd_temperature"]), ATMeanLoss(), NSTLoss()
        self.eps = 1e-5  # VIDLoss's default ε

    def term(self, model: StudentStack, k: int, kind: str, point: str, logits: torch.Tensor,
             acts: list[torch.Tensor], idx: torch.Tensor) -> torch.Tensor:
        """Model k's value of one term on the batch `idx` (its own slices only)."""
        b = len(idx)
        t = self.teacher[point][idx]
        if kind == "kd":
            return self.kd(logits[k], t)
        s_map = acts[0][k].view(b, self.c_s, 7, 7)
        if kind == "at":
            return self.at(s_map, t)
        if kind == "nst":
            return self.nst(s_map, t)
        if point == "map":  # positions as rows: a 1×1 convolution is a per-position linear map
            s, tt = s_map.flatten(2).transpose(1, 2), t.flatten(2).transpose(1, 2)
        else:
            s, tt = acts[1][k], t
        mu = model.regress(k, point, s)
        if kind == "fitnet":
            return 0.5 * F.mse_loss(mu, tt)
        var = F.softplus(model.reg[f"{point}_alpha"][k]) + self.eps  # (1, C), per channel
        return (0.5 * (torch.log(var) + (tt - mu) ** 2 / var + math.log(2 * math.pi))).mean()

    def __call__(self, step: Step) -> torch.Tensor:
        out = []
        for k, terms in enumerate(self.plan):
            total = step.logits.new_zeros(())
            for kind, point, weight in terms:
                value = self.term(step.model, k, kind, point, step.logits, step.acts, step.idx[k])
                total = total + weight * value
            out.append(total)
        return torch.stack(out)


def weighted_ce(weights: Sequence[float]):
    """Per-model cross-entropy times a per-model weight (0 drops the hard labels)."""
    w = torch.tensor(weights)
    return lambda logits, y: w.to(logits.device) * cross_entropy(logits, y)


def fit_students(model: StudentStack, x: torch.Tensor, y: torch.Tensor, objective: Objective,
                 ce_weights: Sequence[float], steps: int, cfg: dict, hook=None,
                 hook_epochs=()) -> None:
    """Full-batch Adam for `steps` steps (one epoch = one full batch)."""
    schedule = Schedule(steps, 0, "adam", cfg["student_lr"], weight_decay=cfg["student_wd"],
                        loss=weighted_ce(ce_weights))
    gens = [torch.Generator() for _ in range(model.n_models)]  # full batch: never drawn from
    fit_stacked(model, x, y, schedule, gens, extra_loss=objective, hook=hook,
                hook_epochs=hook_epochs)


def accuracies(model: StackedMLP, test: tuple[torch.Tensor, torch.Tensor]) -> list[float]:
    return (1.0 - error_rates(model, *test)).tolist()
