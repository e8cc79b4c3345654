"""Claims as data, and the rules that turn per-seed metrics into verdicts.

Every rule reduces one seed's metrics to one number (the *statistic*: a value, a difference,
a drop in bits, the worst violation of monotonicity) and declares the interval of statistics
that counts as a pass. Over seeds we take the mean and a 95 % confidence interval of the mean
(:func:`confidence_interval`: Student's t, widened by a studentized bootstrap from five seeds on,
so that skewed per-seed statistics are covered too). The verdict is

- `reproduced` when the whole interval lies inside the pass interval,
- `not_reproduced` when the whole interval lies outside it,
- `inconclusive` when the interval straddles a boundary, or when a stochastic experiment
  has a single seed (one seed has no spread),
- `not_run` when the claim is not checked under this profile, its experiment did not run,
  or its statistic is censored (the run could not have shown what the claim is about).

Experiments declared `deterministic` (closed forms, Blahut–Arimoto, exact computations) are
decided by their value: every seed must give the same statistic.

Paired rules (`less_than`, `greater_than`) pair runs by seed number, never by position.
Each claim is a published claim of its paper (`kind = "paper"`) or a self-consistency or
construction check (`kind = "check"`); headline counts are of paper claims only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from ibcore.claim_templates import expand_claim_templates
from ibcore.config import PROFILES, ConfigError, ReplicationConfig, load_toml

VERDICTS = ("reproduced", "not_reproduced", "inconclusive", "not_run")
KINDS = ("paper", "check")
ORDERING_RULES = ("less_than", "greater_than")
INF = math.inf
LEVEL = 0.95


class ClaimError(ValueError):
    """A claim cannot be evaluated: missing metric, NaN, wrong shape. Names file, claim, metric."""


# --------------------------------------------------------------------------- statistics


def _series(value: Any, where: str) -> list[np.ndarray]:
    """A list of numbers is one series; a list of lists is several (e.g. one per layer)."""
    if not isinstance(value, list) or not value:
        raise ClaimError(f"{where}: expected a non-empty list (a series), got {value!r:.60}")
    if all(isinstance(v, list) for v in value):
        return [np.asarray(v, dtype=float) for v in value]
    return [np.asarray(value, dtype=float)]


def monotone_violation(series: np.ndarray, direction: str) -> float:
    """Largest move against `direction`: for 'increasing', max over i < j of s_i − s_j (≥ 0)."""
    s = series if direction == "increasing" else -series
    running_max = np.maximum.accumulate(s)
    return float(np.max(running_max - s))


def rise_then_fall_size(series: np.ndarray, require_rise: bool) -> float:
    """min(peak − first, peak − last), or just peak − last when no rise is required."""
    peak = float(np.max(series))
    drop = peak - float(series[-1])
    return min(peak - float(series[0]), drop) if require_rise else drop


@dataclass(frozen=True)
class Rule:
    """How a claim's statistic is computed from one seed, and which statistics pass."""

    params: dict[str, Any]  # parameter name → default (REQUIRED = must be given)
    statistic: Callable[[Any, Any, dict[str, Any], str], float]
    pass_interval: Callable[[dict[str, Any]], tuple[float, float]]
    needs_other: bool = False


REQUIRED = object()


def _scalar(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClaimError(f"{where}: expected a number, got {value!r:.60}")
    return float(value)


def _within_interval(p: dict[str, Any]) -> tuple[float, float]:
    if not isinstance(p["published"], int | float):
        raise ConfigError("rule 'within' needs a numeric 'published' value")
    if (p["abs_tol"] is None) == (p["rel_tol"] is None):
        raise ConfigError("rule 'within' needs exactly one of 'abs_tol' or 'rel_tol'")
    tol = p["abs_tol"] if p["abs_tol"] is not None else abs(p["rel_tol"] * p["published"])
    return p["published"] - tol, p["published"] + tol


RULES: dict[str, Rule] = {
    "within": Rule(
        {"abs_tol": None, "rel_tol": None},
        lambda v, o, p, w: _scalar(v, w),
        _within_interval,
    ),
    "interval": Rule(
        {"lo": -INF, "hi": INF},
        lambda v, o, p, w: _scalar(v, w),
        lambda p: (p["lo"], p["hi"]),
    ),
    "less_than": Rule(
        {"other": REQUIRED, "margin": 0.0},
        lambda v, o, p, w: _scalar(v, w) - _scalar(o, w + " (other)"),
        # strict: a tie is not "less than" (nextafter turns the closed bound into an open one)
        lambda p: (-INF, float(np.nextafter(-p["margin"], -INF))),
        needs_other=True,
    ),
    "greater_than": Rule(
        {"other": REQUIRED, "margin": 0.0},
        lambda v, o, p, w: _scalar(v, w) - _scalar(o, w + " (other)"),
        lambda p: (float(np.nextafter(p["margin"], INF)), INF),
        needs_other=True,
    ),
    "monotone": Rule(
        {"direction": "increasing", "slack": 0.0},
        lambda v, o, p, w: max(monotone_violation(s, p["direction"]) for s in _series(v, w)),
        lambda p: (-INF, p["slack"]),
    ),
    "rise_then_fall": Rule(
        {"margin": REQUIRED, "require_rise": True},
        lambda v, o, p, w: min(rise_then_fall_size(s, p["require_rise"]) for s in _series(v, w)),
        lambda p: (p["margin"], INF),
    ),
}

# --------------------------------------------------------------------------- claims

_FIELDS = {"id", "statement", "source", "experiment", "metric", "published", "rule", "why",
           "profiles", "expect", "kind"}
# Optional fields any claim may carry: the paper's effect size and spread (for effect-size and
# power notes), the condition under which its statistic is censored, the one-line explanation
# of a verdict that did not reproduce, and the unit of the published value and of ours.
_OPTIONAL = {"published_gap", "published_sd", "censored", "explain", "unit"}
_CENSOR_BOUNDS = ("below", "above")


# What a censored claim is decided as: `not_run` when the run was too short to test the claim
# at all (e.g. fewer epochs than the paper's minimum); `inconclusive` when the run happened but
# its estimate saturated, so it could show neither the effect nor its absence.
CENSOR_VERDICTS = ("not_run", "inconclusive")


@dataclass(frozen=True)
class Censoring:
    """A claim's statistic is censored when a seed's `metric` is below or above a bound — e.g.
    runs shorter than the epoch at which the paper saw its minimum (verdict `not_run`), or an
    estimate pinned at its ceiling (verdict `inconclusive`, set with `verdict = ...`)."""

    metric: str
    bound: str  # "below" or "above"
    value: float
    reason: str
    verdict: str = "not_run"  # one of CENSOR_VERDICTS

    def applies(self, value: float) -> bool:
        return value < self.value if self.bound == "below" else value > self.value


def _parse_censoring(raw: Any, where: str) -> Censoring:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: field 'censored' must be a table "
                          "{metric = ..., below|above = ..., reason = ...}")
    bounds = [b for b in _CENSOR_BOUNDS if b in raw]
    unknown = set(raw) - {"metric", "reason", "verdict", *_CENSOR_BOUNDS}
    if unknown or len(bounds) != 1 or not isinstance(raw.get("metric"), str) \
            or not isinstance(raw.get("reason"), str):
        raise ConfigError(f"{where}: field 'censored' needs 'metric', 'reason' and exactly one "
                          f"of {list(_CENSOR_BOUNDS)}" + (f" (unknown: {sorted(unknown)})"
                                                          if unknown else ""))
    value = raw[bounds[0]]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: field 'censored.{bounds[0]}' must be a number")
    verdict = raw.get("verdict", "not_run")
    if verdict not in CENSOR_VERDICTS:
        raise ConfigError(f"{where}: field 'censored.verdict' must be one of "
                          f"{list(CENSOR_VERDICTS)}, got {verdict!r}")
    return Censoring(raw["metric"], bounds[0], float(value), raw["reason"], verdict)


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a paper (see docs/CONTRACTS.md for the TOML form)."""

    id: str
    statement: str
    source: str
    experiment: str
    metric: str
    published: Any
    rule: str
    params: dict[str, Any]
    why: str
    profiles: tuple[str, ...]
    expect: dict[str, tuple[str, ...]]  # profile → the verdict(s) recorded; see `accepts`
    kind: str = "paper"
    published_gap: float | None = None
    published_sd: float | None = None
    censored: Censoring | None = None
    explain: dict[str, str] = field(default_factory=dict)  # profile → why it did not reproduce
    unit: str = ""  # of `published` and of the statistic ("bits", "% error", "nats/sample")
    origin: str = ""

    def expected(self, profile: str) -> str:
        """The recorded verdict, or "a or b" when it was measured to differ between CPUs."""
        return " or ".join(self.expect.get(profile, ("not_run",)))

    def accepts(self, profile: str, verdict: str) -> bool:
        """Whether `verdict` is one recorded for `profile`. Several are recorded only where the
        same code gave different verdicts on different CPUs (float rounding of training moved a
        statistic across a boundary); claims.toml then says where each was measured."""
        return verdict in self.expect.get(profile, ("not_run",))

    def explanation(self, profile: str) -> str:
        """The replication's one-line reason why this claim did not reproduce (or '')."""
        return self.explain.get(profile, "")

    def pass_interval(self) -> tuple[float, float]:
        return RULES[self.rule].pass_interval({**self.params, "published": self.published})


def _recorded_verdicts(value: Any, where: str, profile: str) -> tuple[str, ...]:
    """One verdict, or a non-empty list of distinct verdicts (measured on different CPUs)."""
    values = [value] if isinstance(value, str) else value
    if (not isinstance(values, list) or not values or len(set(values)) != len(values)
            or any(v not in VERDICTS for v in values)):
        raise ConfigError(f"{where}: expect must be one of {VERDICTS}, or a list of distinct "
                          f"ones (verdicts measured on different CPUs); profile {profile!r} "
                          f"has {value!r}")
    return tuple(values)


def _parse_claim(raw: dict[str, Any], path: Path, config: ReplicationConfig | None) -> Claim:
    cid = raw.get("id", "?")
    where = f"{path}: claim '{cid}'"
    missing = [f for f in sorted(_FIELDS - {"published"}) if f not in raw]
    if missing or "published" not in raw:
        raise ConfigError(f"{where}: missing field(s) {missing or ['published']}")
    rule = RULES.get(raw["rule"])
    if rule is None:
        raise ConfigError(f"{where}: unknown rule {raw['rule']!r}; choose from {sorted(RULES)}")
    extra = set(raw) - _FIELDS - _OPTIONAL - set(rule.params)
    if extra:
        raise ConfigError(f"{where}: field(s) {sorted(extra)} are not known to rule {raw['rule']}")
    params = {}
    for name, default in rule.params.items():
        if name not in raw and default is REQUIRED:
            raise ConfigError(f"{where}: rule {raw['rule']!r} needs field '{name}'")
        params[name] = raw.get(name, default)
    if params.get("direction", "increasing") not in ("increasing", "decreasing"):
        raise ConfigError(f"{where}: direction must be 'increasing' or 'decreasing'")
    profiles = raw["profiles"]
    if not isinstance(profiles, list) or any(p not in PROFILES for p in profiles):
        raise ConfigError(f"{where}: profiles must be a list drawn from {PROFILES}")
    expect_raw = raw["expect"]
    expect = {p: expect_raw for p in profiles} if isinstance(expect_raw, str) else expect_raw
    if not isinstance(expect, dict):
        raise ConfigError(f"{where}: expect must be one of {VERDICTS} or a table profile → verdict")
    expect = {p: _recorded_verdicts(v, where, p) for p, v in expect.items()}
    if raw["kind"] not in KINDS:
        raise ConfigError(f"{where}: field 'kind' must be one of {KINDS}, got {raw['kind']!r}")
    numbers = {}
    for name in ("published_gap", "published_sd"):
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ConfigError(f"{where}: field '{name}' must be a number")
        numbers[name] = None if value is None else float(value)
    if numbers["published_sd"] is not None and numbers["published_sd"] < 0:
        raise ConfigError(f"{where}: field 'published_sd' must be ≥ 0")
    censored = _parse_censoring(raw["censored"], where) if "censored" in raw else None
    explain = raw.get("explain", {})
    explain = {p: explain for p in profiles} if isinstance(explain, str) else explain
    if not isinstance(explain, dict) or not all(isinstance(v, str) for v in explain.values()):
        raise ConfigError(f"{where}: field 'explain' must be a string or a table profile → string")
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        raise ConfigError(f"{where}: field 'unit' must be a string, e.g. \"bits\"")
    if config is not None:
        if raw["experiment"] not in config.experiments:
            raise ConfigError(f"{where}: unknown experiment {raw['experiment']!r}")
        other = params.get("other")
        if isinstance(other, str) and ":" in other:
            if other.split(":", 1)[0] not in config.experiments:
                raise ConfigError(f"{where}: 'other' names an unknown experiment ({other})")
    claim = Claim(
        id=cid, statement=raw["statement"], source=raw["source"], experiment=raw["experiment"],
        metric=raw["metric"], published=raw["published"], rule=raw["rule"], params=params,
        why=raw["why"], profiles=tuple(profiles), expect=dict(expect), kind=raw["kind"],
        censored=censored, explain=dict(explain), unit=unit, origin=str(path), **numbers,
    )
    try:
        claim.pass_interval()
    except (ConfigError, KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return claim


def load_claims(path: Path, config: ReplicationConfig | None = None) -> list[Claim]:
    """Parse and validate claims.toml; ids must be unique, experiments must exist."""
    data = load_toml(path)
    raws = expand_claim_templates(data, path)
    if not isinstance(raws, list) or not raws:
        raise ConfigError(f"{path}: needs at least one [[claims]] table")
    claims = [_parse_claim(raw, path, config) for raw in raws]
    ids = [c.id for c in claims]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{path}: duplicate claim id(s) {dupes}")
    return claims


# --------------------------------------------------------------------------- evaluation


def lookup(metrics: dict[str, Any], dotted: str, where: str) -> Any:
    """Follow a dotted path into nested metrics; a missing step is a ClaimError."""
    node: Any = metrics
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ClaimError(f"{where}: metric '{dotted}' not produced (no '{part}')")
        node = node[part]
    return node


# From this many seeds on, the t-interval is widened by a studentized bootstrap (below five,
# resampling has too few distinct samples to say anything about skew).
BOOTSTRAP_MIN_N = 5
BOOTSTRAP_RESAMPLES = 4999


#: relative spread below which a bootstrap resample counts as one repeated value
SPREAD_RESOLUTION = 1e-10


def studentized_bootstrap(x: np.ndarray, level: float, resamples: int = BOOTSTRAP_RESAMPLES,
                          seed: int = 0) -> tuple[float, float]:
    """Bootstrap-t interval of the mean (Efron & Tibshirani 1993, §12.5).

    The pivot T* = (mean* − mean) / se* of each resample; the interval inverts its quantiles,
    [mean − q_hi·se, mean − q_lo·se]. Resamples of one repeated value have no standard error
    and say nothing about spread: they are left out. scipy.stats.bootstrap offers percentile,
    basic and BCa intervals but not this one, hence the few lines here.
    """
    n = x.size
    mean, se = float(x.mean()), float(x.std(ddof=1)) / math.sqrt(n)
    sample = x[np.random.default_rng(seed).integers(0, n, size=(resamples, n))]
    se_star = sample.std(axis=1, ddof=1) / math.sqrt(n)
    # a resample of one repeated value has a computed spread of rounding size (the mean of n
    # equal floats need not equal them), not 0: below 1e-10 of the values' magnitude it is
    # treated as none, or its pivot of ~1e15 would blow the interval up
    keep = se_star > SPREAD_RESOLUTION * float(np.abs(x).max())
    pivot = (sample.mean(axis=1)[keep] - mean) / se_star[keep]
    t_lo, t_hi = np.quantile(pivot, [(1 - level) / 2, (1 + level) / 2])
    return mean - float(t_hi) * se, mean - float(t_lo) * se


def confidence_interval(values: Sequence[float], level: float = LEVEL) -> tuple[float, float]:
    """Confidence interval of the mean of per-seed values, calibrated for small seed counts.

    The Student t-interval (`scipy.stats.t`) is exact for normal per-seed values. From
    `BOOTSTRAP_MIN_N` seeds on it is widened to also contain the studentized-bootstrap
    ("bootstrap-t", Efron & Tibshirani 1993, §12.5) interval at level (1 + level)/2, which
    follows the skew of the data: the t-interval alone covers the mean of log-normal (σ = 1)
    values only ≈ 82 % of the time at 5–10 seeds, BCa ≈ 73–81 %, and bootstrap-t at the same
    level ≈ 89 %. The union at (1 + level)/2 was chosen by simulation for ≥ 0.90 on log-normal
    values at n ≥ 5 (`tests/test_interval_coverage.py` checks both targets); its price is a wider
    interval on normal data (≈ 1.7× at 5 seeds, 1.2× at 12 — see the power note of each claim).
    Resampling uses a fixed seed, so the interval is a pure function of the values. Zero spread
    gives the point itself.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"a confidence interval needs at least two values, got {x.size}")
    if np.all(x == x[0]):
        return float(x[0]), float(x[0])
    mean = float(x.mean())
    se = float(x.std(ddof=1)) / math.sqrt(x.size)
    lo, hi = stats.t.interval(level, x.size - 1, loc=mean, scale=se)
    if x.size < BOOTSTRAP_MIN_N:
        return float(lo), float(hi)
    b_lo, b_hi = studentized_bootstrap(x, (1 + level) / 2)
    return float(min(lo, b_lo)), float(max(hi, b_hi))


def interval_name(n: int, deterministic: bool = False, level: float = LEVEL) -> str:
    """How a verdict's interval was made, in words a report can print."""
    if deterministic:
        return "exact value (deterministic experiment)"
    if n < 2:
        return "one seed: no interval"
    pct = f"{100 * level:g} %"
    if n < BOOTSTRAP_MIN_N:
        return f"{pct} t-interval over {n} seeds"
    return f"{pct} t-interval ∪ studentized bootstrap over {n} seeds"


def resolvable_difference(sd: float, n: int, level: float = LEVEL) -> float:
    """Smallest mean difference from a boundary that n seeds with per-seed spread `sd` resolve:
    the half-width t_{n−1, (1+level)/2} · sd / √n of the t-interval (a lower bound for ours)."""
    if n < 2:
        return INF
    return float(stats.t.ppf((1 + level) / 2, n - 1) * sd / math.sqrt(n))


def seeds_to_resolve(gap: float, sd: float, level: float = LEVEL, most: int = 1000) -> int | None:
    """Fewest seeds whose resolvable difference is below |gap| (None when above `most`)."""
    if sd == 0:
        return 2
    for n in range(2, most + 1):
        if resolvable_difference(sd, n, level) < abs(gap):
            return n
    return None


def decide(ci: tuple[float, float], passing: tuple[float, float]) -> str:
    """reproduced / not_reproduced / inconclusive from a CI and a pass interval."""
    lo, hi = ci
    if passing[0] <= lo and hi <= passing[1]:
        return "reproduced"
    if hi < passing[0] or lo > passing[1]:
        return "not_reproduced"
    return "inconclusive"


# The fewest seeds a stochastic claim is decided on: with fewer, the t-interval's coverage rests
# on a normality no one can check, and a lucky pair of seeds could "reproduce" anything.
MIN_SEEDS = 5


def decide_values(
    values: Sequence[float], passing: tuple[float, float], deterministic: bool = False,
) -> tuple[str, tuple[float, float] | None, str]:
    """(verdict, interval, note) for per-seed statistics against a pass interval.

    A deterministic statistic is decided by its value; one seed of a stochastic one is
    `inconclusive` (no spread to judge by), and so are fewer than :data:`MIN_SEEDS` (the
    interval is shown but decides nothing); otherwise the :func:`confidence_interval` decides.
    """
    if deterministic:
        ci = (float(values[0]), float(values[0]))
    elif len(values) == 1:
        return "inconclusive", None, "one seed: no spread"
    else:
        ci = confidence_interval(values)
        if len(values) < MIN_SEEDS:
            return "inconclusive", ci, (f"{len(values)} seeds: a seed-level claim is decided "
                                        f"on {MIN_SEEDS} or more")
    return decide(ci, passing), ci, ""


@dataclass
class Verdict:
    """A claim's outcome under one profile."""

    claim: Claim
    profile: str
    verdict: str
    values: list[float] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    mean: float | None = None
    std: float | None = None
    ci: tuple[float, float] | None = None
    deterministic: bool = False
    note: str = ""
    power: str = ""

    @property
    def expected(self) -> str:
        return self.claim.expected(self.profile)

    @property
    def as_expected(self) -> bool:
        return self.claim.accepts(self.profile, self.verdict)

    @property
    def interval(self) -> str:
        """The interval in words ("95 % t-interval over 4 seeds"); empty when nothing ran."""
        return interval_name(len(self.values), self.deterministic) if self.values else ""

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        lo, hi = c.pass_interval()
        return {
            "id": c.id, "kind": c.kind, "statement": c.statement, "source": c.source,
            "experiment": c.experiment, "metric": c.metric, "published": c.published,
            "published_gap": c.published_gap, "published_sd": c.published_sd,
            "rule": c.rule, "pass_interval": [lo, hi], "why": c.why, "profile": self.profile,
            "verdict": self.verdict, "expected": self.expected, "as_expected": self.as_expected,
            "values": self.values,
            "seeds": self.seeds, "mean": self.mean, "std": self.std,
            "ci": list(self.ci) if self.ci else None, "interval": self.interval,
            "n": len(self.values), "deterministic": self.deterministic, "note": self.note,
            "power": self.power, "explain": c.explanation(self.profile), "unit": c.unit,
        }


Runs = Mapping[str, Mapping[int, dict[str, Any]]]


def _paired_seeds(claim: Claim, own: Mapping[int, Any], other_exp: str,
                  others: Mapping[int, Any]) -> list[int]:
    """Seeds of a paired claim; both experiments must have run the same seeds."""
    if set(own) != set(others):
        raise ClaimError(
            f"{claim.origin}: claim '{claim.id}' pairs '{claim.experiment}' with '{other_exp}' "
            f"by seed, but seeds {sorted(set(own) - set(others))} are missing from "
            f"'{other_exp}' and seeds {sorted(set(others) - set(own))} from '{claim.experiment}'"
        )
    return sorted(own)


def _censoring_note(claim: Claim, own: Mapping[int, dict[str, Any]]) -> str | None:
    cens = claim.censored
    if cens is None:
        return None
    for seed, metrics in sorted(own.items()):
        where = f"{claim.origin}: claim '{claim.id}', field 'censored', seed {seed}"
        if cens.applies(_scalar(lookup(metrics, cens.metric, where), where)):
            return f"censored: {cens.reason}"
    return None


def power_note(claim: Claim, values: Sequence[float], verdict: str) -> str:
    """For an ordering claim with a published gap: can this many seeds resolve that gap?

    The smallest resolvable difference is the t half-width from our per-seed spread, and from
    the paper's σ where the claim gives one (`published_sd`); a gap below it is underpowered.
    """
    if claim.rule not in ORDERING_RULES or claim.published_gap is None or len(values) < 2:
        return ""
    gap, n = abs(claim.published_gap), len(values)
    spreads = [("our", float(np.std(values, ddof=1)))]
    if claim.published_sd is not None:
        spreads.append(("the paper's", claim.published_sd))
    parts = []
    for who, sd in spreads:
        need = resolvable_difference(sd, n)
        if gap < need:
            more = seeds_to_resolve(gap, sd)
            hint = f" (≈ {more} seeds would)" if more else " (no feasible seed count would)"
            parts.append(f"underpowered at {who} spread: the paper's gap {gap:.3g} < the "
                         f"{need:.3g} {n} seeds resolve{hint}")
        else:
            parts.append(f"{n} seeds resolve {need:.3g} at {who} spread (paper's gap {gap:.3g})")
    note = "; ".join(parts)
    if verdict == "inconclusive" and "underpowered" in note:
        note += " — undecided for lack of seeds, not against the paper"
    return note


def evaluate(
    claim: Claim, profile: str, runs: Runs, deterministic: Collection[str] = (),
) -> Verdict:
    """Evaluate one claim from `runs`: experiment name → {seed: that seed's metrics}.

    `deterministic` names the experiments whose numbers do not depend on the seed.
    """
    if profile not in claim.profiles:
        where = " and ".join(f"'{p}'" for p in claim.profiles) or "no profile"
        return Verdict(claim, profile, "not_run", note=claim.explanation(profile)
                       or f"checked under {where} only (the published setup), not '{profile}'")
    own = runs.get(claim.experiment) or {}
    if not own:
        return Verdict(claim, profile, "not_run", note=claim.explanation(profile)
                       or f"experiment '{claim.experiment}' not run")
    rule = RULES[claim.rule]
    other_exp, other_path = claim.experiment, claim.params.get("other")
    if rule.needs_other and ":" in other_path:
        other_exp, other_path = other_path.split(":", 1)
    others = runs.get(other_exp) or {}
    if rule.needs_other and not others:
        return Verdict(claim, profile, "not_run", note=f"experiment '{other_exp}' not run")
    seeds = _paired_seeds(claim, own, other_exp, others) if rule.needs_other else sorted(own)
    censored = _censoring_note(claim, own)
    if censored:
        return Verdict(claim, profile, claim.censored.verdict, seeds=seeds, note=censored)
    values = []
    for seed in seeds:
        where = f"{claim.origin}: claim '{claim.id}', seed {seed}"
        value = lookup(own[seed], claim.metric, where)
        other = lookup(others[seed], other_path, where) if rule.needs_other else None
        stat = rule.statistic(value, other, claim.params, where)
        if not math.isfinite(stat):
            raise ClaimError(f"{where}: statistic of metric '{claim.metric}' is {stat}")
        values.append(stat)
    is_det = claim.experiment in deterministic and (not rule.needs_other
                                                    or other_exp in deterministic)
    mean = float(np.mean(values))
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    out = Verdict(claim, profile, "inconclusive", values=values, seeds=seeds, mean=mean, std=std,
                  deterministic=is_det)
    if is_det and max(values) != min(values):
        raise ClaimError(f"{claim.origin}: claim '{claim.id}': experiment "
                         f"'{claim.experiment}' is declared deterministic but its seeds give "
                         f"different statistics ({min(values):.6g} … {max(values):.6g})")
    out.verdict, out.ci, out.note = decide_values(values, claim.pass_interval(), is_det)
    out.power = power_note(claim, values, out.verdict) if not is_det else ""
    return out
