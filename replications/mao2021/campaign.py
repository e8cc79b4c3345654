"""The IBCI neuron campaign as Mao et al. (CIKM 2021, §3, Algorithm 1) and their code define it.

Layer by layer (the output layer included), a pool of candidate neurons is drawn from the base
initialiser (Xavier or He normal, with the fans of the layer being filled): ``pool_factor`` ×
the layer's width candidates, at most ``pool_cap`` (the authors' code: a multiplier and a cap of
1 000; their slides show a 784 × 1 000 pool for a 100-unit layer). Every candidate's response
(ReLU for a hidden layer, the linear output for the last layer) to the scoring set, propagated
through the layers already filled, gives its score

    score = α · TIE + (1 − α) · IIM,

TIE the target criterion (§3.2: responses that separate the classes) and IIM the input
criterion (§3.1: responses that vary over the inputs). Two ways of putting the criteria on one
scale are implemented (``score``):

- ``"l2std"`` (default; the authors' code): per candidate the standard deviation of its class
  means (between), the mean over classes of its within-class standard deviation (within) and
  its total standard deviation (all unbiased, classes unweighted); between and within are each
  divided by their L2 norm over the pool, TIE = between − within is divided by its L2 norm, so
  is IIM = the total standard deviation.
- ``"minmax"`` (our earlier reading, kept as a named arm): between- and within-class *variances*
  S_B, S_W weighted by class frequency, TIE = S_B − S_W, IIM = S_B + S_W, each min–max
  normalised over the pool.

Election (Algorithm 1, steps 3–6): with ``class_groups`` (the authors' code) every candidate
belongs to the class of its largest class-mean response, the layer's width is split over the
classes as evenly as the group sizes allow, and within each group the candidate with the largest
score × ‖residual‖ / ‖w‖ wins, where the residual is the part of its weight vector orthogonal
to the neurons its group already elected (Gram–Schmidt). The winner's *raw* weight vector w is
inserted (step 5: w* = W·,i), not its residual. Rows are stacked group by group (class 0
first), so for the output layer row c is, where every class has candidates, the candidate most
tied to class c. Without ``class_groups`` the whole pool is one group.

Biases are zero, and the same zero bias is used when scoring. Two defects of the public code are
not reproduced: it scores with a bias of 0.01 and then sets 0 (the flag is inverted), and it
draws candidates with `kaiming_normal_` on an (in × pool) matrix, so the pool size acts as the
fan-in. Elected candidates are excluded from later rounds (the public code relies on their zero
residual, which a negative score would not stop).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ibcore.nn.init import draw_weights, linear_layers

SCORES = ("l2std", "minmax")


@dataclass
class ResponseStats:
    """Per-class sufficient statistics of candidate responses (k candidates, C classes)."""

    counts: torch.Tensor  # C, samples per class (only classes present)
    means: torch.Tensor  # C × k, class-mean response
    ss: torch.Tensor  # C × k, within-class sum of squared deviations

    @property
    def n(self) -> float:
        return float(self.counts.sum())

    @property
    def grand(self) -> torch.Tensor:
        return (self.counts @ self.means) / self.n


def response_stats(responses: torch.Tensor, labels: torch.Tensor, n_classes: int) -> ResponseStats:
    """Class counts, class means and within-class sums of squares of each column (n × k), in
    float64 (the within-class spread is taken about the class mean, not as E[r²] − μ²)."""
    r = responses.double()
    onehot = nn.functional.one_hot(labels, n_classes).double()
    present = onehot.sum(0) > 0
    onehot = onehot[:, present]
    counts = onehot.sum(0)
    means = (onehot.T @ r) / counts[:, None]
    dev = r - means[onehot.argmax(1)]
    return ResponseStats(counts, means, onehot.T @ dev**2)


def merge_columns(parts: Sequence[ResponseStats]) -> ResponseStats:
    """Statistics of a pool scored in column chunks (same samples), as one."""
    return ResponseStats(parts[0].counts, torch.cat([p.means for p in parts], 1),
                         torch.cat([p.ss for p in parts], 1))


def _unit(v: torch.Tensor) -> torch.Tensor:
    """v / ‖v‖₂ over the pool (a zero vector stays zero)."""
    norm = v.norm()
    return v / norm if norm > 0 else v


def _minmax(v: torch.Tensor) -> torch.Tensor:
    """Rescale to [0, 1] over the pool (a constant vector maps to 1)."""
    span = v.max() - v.min()
    return torch.ones_like(v) if span <= 0 else (v - v.min()) / span


def l2std_scores(s: ResponseStats, alpha: float) -> dict[str, torch.Tensor]:
    """The authors' scores: L2-normalised standard deviations (see the module docstring)."""
    if len(s.counts) < 2 or bool((s.counts < 2).any()):
        raise ValueError("l2std scores need two classes with at least two samples each")
    between = s.means.std(dim=0)  # over classes, unbiased, unweighted
    within = (s.ss / (s.counts[:, None] - 1)).sqrt().mean(dim=0)
    spread = s.counts @ (s.means - s.grand) ** 2
    total = ((s.ss.sum(0) + spread) / (s.n - 1)).sqrt()
    tie = _unit(_unit(between) - _unit(within))
    iim = _unit(total)
    return {"tie": tie, "iim": iim, "score": alpha * tie + (1.0 - alpha) * iim}


def minmax_scores(s: ResponseStats, alpha: float) -> dict[str, torch.Tensor]:
    """Our earlier scores: S_B ∓ S_W (frequency-weighted variances), each min–max normalised."""
    p = s.counts / s.n
    s_b = p @ (s.means - s.grand) ** 2
    s_w = s.ss.sum(0) / s.n
    tie, iim = s_b - s_w, s_b + s_w
    return {"tie": tie, "iim": iim, "score": alpha * _minmax(tie) + (1.0 - alpha) * _minmax(iim)}


SCORE_FUNCTIONS = {"l2std": l2std_scores, "minmax": minmax_scores}


def balanced_quota(sizes: Sequence[int], total: int) -> list[int]:
    """Split `total` elections over groups of `sizes` as evenly as the sizes allow.

    Water-filling: a group smaller than its fair share gives all its members; the rest is split
    equally over the larger groups, the remainder going one each to the largest of them (ties:
    the later group). The authors' code splits the same way.
    """
    if total > sum(sizes):
        raise ValueError(f"cannot elect {total} from groups of {list(sizes)}")
    quota = [0] * len(sizes)
    order = sorted(range(len(sizes)), key=lambda g: (sizes[g], g))
    left, rest = total, order
    while rest:
        share = left // len(rest)
        small = [g for g in rest if sizes[g] <= share]
        if not small:
            break
        for g in small:
            quota[g] = sizes[g]
            left -= sizes[g]
        rest = [g for g in rest if sizes[g] > share]
    if rest:
        share, extra = divmod(left, len(rest))
        for pos, g in enumerate(rest):
            quota[g] = share + (1 if pos >= len(rest) - extra else 0)
    return quota


def elect(candidates: torch.Tensor, scores: torch.Tensor, n: int) -> list[int]:
    """Greedy Gram–Schmidt election of `n` of the (k × fan_in) `candidates` (Alg. 1, step 4).

    Each round the candidate with the largest score × ‖residual‖ / ‖w‖ wins (residual: the
    part of w orthogonal to the winners so far); every residual then loses its component along
    the winner's residual. Returns the winners' row indices in election order.
    """
    k, fan_in = candidates.shape
    if n > min(k, fan_in):
        raise ValueError(f"cannot elect {n} orthogonal neurons from {k} of dimension {fan_in}")
    norms = candidates.norm(dim=1).clamp_min(1e-12)
    residual = candidates.clone()
    available = torch.ones(k, dtype=torch.bool)
    chosen: list[int] = []
    for _ in range(n):
        value = scores * residual.norm(dim=1) / norms
        value[~available] = -math.inf
        best = int(value.argmax())
        q = residual[best] / residual[best].norm().clamp_min(1e-12)
        residual -= (residual @ q)[:, None] * q[None, :]
        available[best] = False
        chosen.append(best)
    return chosen


@dataclass
class Campaign:
    """The outcome of one layer's campaign (pool of k candidates)."""

    weights: torch.Tensor  # width × fan_in: the elected candidates' raw weight vectors
    chosen: np.ndarray  # pool index of each row of `weights`
    group: np.ndarray  # class group of each row (-1 without class groups)
    scores: np.ndarray  # k, the mixed score of every candidate
    tie: np.ndarray  # k, the target criterion as mixed (normalised for l2std)
    iim: np.ndarray  # k, the input criterion as mixed (normalised for l2std)


def pool_size(width: int, pool_factor: int, pool_cap: int) -> int:
    return min(pool_factor * width, pool_cap)


@dataclass(frozen=True)
class Options:
    """How a campaign is run (defaults: the authors' code, with the slides' pool of 10 × width)."""

    pool_factor: int = 10  # candidates per neuron of the layer …
    pool_cap: int = 1000  # … at most this many
    score: str = "l2std"  # or "minmax" (our earlier arm)
    class_groups: bool = True  # elect class by class (False: the pool is one group)
    n_classes: int = 10
    chunk: int = 250  # candidates scored at once (memory only)


@torch.no_grad()
def campaign_layer(
    inputs: torch.Tensor, labels: torch.Tensor, width: int, alpha: float, kind: str,
    generator: torch.Generator, options: Options = Options(), hidden: bool = True,
) -> Campaign:
    """Fill one fan_in → width layer by campaign; `inputs` (n × fan_in) are its inputs on the
    scoring set. `hidden`: responses through ReLU (else the linear output of the last layer)."""
    score, class_groups, chunk = options.score, options.class_groups, options.chunk
    if score not in SCORE_FUNCTIONS:
        raise ValueError(f"unknown score {score!r}; choose from {SCORES}")
    fan_in = inputs.shape[1]
    k = pool_size(width, options.pool_factor, options.pool_cap)
    candidates = draw_weights(kind, fan_in, width, k, generator)
    parts = []
    for start in range(0, k, chunk):
        r = inputs @ candidates[start:start + chunk].T
        parts.append(response_stats(torch.relu(r) if hidden else r, labels, options.n_classes))
    stats = merge_columns(parts)
    s = SCORE_FUNCTIONS[score](stats, alpha)
    if class_groups:
        belong = stats.means.argmax(dim=0)  # group index among the classes present
        members = [torch.nonzero(belong == c).flatten() for c in range(len(stats.counts))]
    else:
        members = [torch.arange(k)]
    quota = balanced_quota([len(m) for m in members], width)
    chosen, group = [], []
    for g, (idx, n) in enumerate(zip(members, quota, strict=True)):
        if n == 0:
            continue
        won = elect(candidates[idx], s["score"][idx].float(), n)
        chosen += [int(idx[i]) for i in won]
        group += [g if class_groups else -1] * n
    pool = {"scores": s["score"].numpy(), "tie": s["tie"].numpy(), "iim": s["iim"].numpy()}
    return Campaign(candidates[chosen].clone(), np.asarray(chosen), np.asarray(group), **pool)


@torch.no_grad()
def ibci(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, kind: str, alphas: Sequence[float],
    generator: torch.Generator, options: Options = Options(),
) -> list[Campaign]:
    """IBCI in place: every linear layer of a ReLU MLP by campaign, biases zero.

    `alphas` has one entry per linear layer, the output layer's last (the authors' code uses
    α = 1 there).
    """
    layers = linear_layers(model)
    if len(alphas) != len(layers):
        raise ValueError(f"need one alpha per layer ({len(layers)}), got {list(alphas)}")
    campaigns = []
    h = x
    for i, (layer, alpha) in enumerate(zip(layers, alphas, strict=True)):
        hidden = i < len(layers) - 1
        c = campaign_layer(h, y, layer.out_features, float(alpha), kind, generator, options,
                           hidden)
        layer.weight.copy_(c.weights)
        if layer.bias is not None:
            layer.bias.zero_()
        campaigns.append(c)
        if hidden:
            h = torch.relu(layer(h))
    return campaigns
