"""Claims as data, and the rules that turn per-seed metrics into verdicts.

Every rule reduces one seed's metrics to one number (the *statistic*: a value, a difference,
a drop in bits, the worst violation of monotonicity) and declares the interval of statistics
that counts as a pass. Over seeds we take the mean and a seeded 95 % percentile-bootstrap
confidence interval of the mean (Efron & Tibshirani 1993, ch. 13; the same small-function style
as rliable's interval estimates). The verdict is

- `reproduced` when the whole CI lies inside the pass interval,
- `not_reproduced` when the whole CI lies outside it,
- `inconclusive` when the CI straddles a boundary,
- `not_run` when the claim is not checked under this profile or its experiment did not run.

With one seed the CI is the single value, so the verdict is that of the point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibcore.claim_templates import expand_claim_templates
from ibcore.config import PROFILES, ConfigError, ReplicationConfig, load_toml

VERDICTS = ("reproduced", "not_reproduced", "inconclusive", "not_run")
INF = math.inf


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
           "profiles", "expect"}


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
    expect: dict[str, str]
    origin: str = ""

    def expected(self, profile: str) -> str:
        return self.expect.get(profile, "not_run")

    def pass_interval(self) -> tuple[float, float]:
        return RULES[self.rule].pass_interval({**self.params, "published": self.published})


def _parse_claim(raw: dict[str, Any], path: Path, config: ReplicationConfig | None) -> Claim:
    cid = raw.get("id", "?")
    where = f"{path}: claim '{cid}'"
    missing = [f for f in sorted(_FIELDS - {"published"}) if f not in raw]
    if missing or "published" not in raw:
        raise ConfigError(f"{where}: missing field(s) {missing or ['published']}")
    rule = RULES.get(raw["rule"])
    if rule is None:
        raise ConfigError(f"{where}: unknown rule {raw['rule']!r}; choose from {sorted(RULES)}")
    extra = set(raw) - _FIELDS - set(rule.params)
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
    if not isinstance(expect, dict) or any(v not in VERDICTS for v in expect.values()):
        raise ConfigError(f"{where}: expect must be one of {VERDICTS} or a table profile → verdict")
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
        why=raw["why"], profiles=tuple(profiles), expect=dict(expect), origin=str(path),
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


def bootstrap_ci(
    values: Sequence[float], level: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """Percentile-bootstrap CI of the mean; seeded, so the same values give the same interval."""
    x = np.asarray(values, dtype=float)
    if x.size == 1 or np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, x.size, size=(n_boot, x.size))].mean(axis=1)
    alpha = (1 - level) / 2
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def decide(ci: tuple[float, float], passing: tuple[float, float]) -> str:
    """reproduced / not_reproduced / inconclusive from a CI and a pass interval."""
    lo, hi = ci
    if passing[0] <= lo and hi <= passing[1]:
        return "reproduced"
    if hi < passing[0] or lo > passing[1]:
        return "not_reproduced"
    return "inconclusive"


@dataclass
class Verdict:
    """A claim's outcome under one profile."""

    claim: Claim
    profile: str
    verdict: str
    values: list[float] = field(default_factory=list)
    mean: float | None = None
    std: float | None = None
    ci: tuple[float, float] | None = None
    note: str = ""

    @property
    def expected(self) -> str:
        return self.claim.expected(self.profile)

    @property
    def as_expected(self) -> bool:
        return self.verdict == self.expected

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        lo, hi = c.pass_interval()
        return {
            "id": c.id, "statement": c.statement, "source": c.source, "published": c.published,
            "rule": c.rule, "pass_interval": [lo, hi], "why": c.why, "profile": self.profile,
            "verdict": self.verdict, "expected": self.expected, "values": self.values,
            "mean": self.mean, "std": self.std, "ci": list(self.ci) if self.ci else None,
            "n": len(self.values), "note": self.note,
        }


def evaluate(
    claim: Claim,
    profile: str,
    runs: dict[str, list[dict[str, Any]]],
) -> Verdict:
    """Evaluate one claim from `runs`: experiment name → list of per-seed metrics (same seeds)."""
    if profile not in claim.profiles:
        return Verdict(claim, profile, "not_run", note=f"not checked under '{profile}'")
    own = runs.get(claim.experiment) or []
    if not own:
        return Verdict(claim, profile, "not_run", note=f"experiment '{claim.experiment}' not run")
    rule = RULES[claim.rule]
    other_exp, other_path = claim.experiment, claim.params.get("other")
    if rule.needs_other and ":" in other_path:
        other_exp, other_path = other_path.split(":", 1)
    others = runs.get(other_exp) or []
    if rule.needs_other and len(others) != len(own):
        return Verdict(claim, profile, "not_run", note=f"experiment '{other_exp}' not run")
    values = []
    for i, metrics in enumerate(own):
        where = f"{claim.origin}: claim '{claim.id}', seed #{i}"
        value = lookup(metrics, claim.metric, where)
        other = lookup(others[i], other_path, where) if rule.needs_other else None
        stat = rule.statistic(value, other, claim.params, where)
        if not math.isfinite(stat):
            raise ClaimError(f"{where}: statistic of metric '{claim.metric}' is {stat}")
        values.append(stat)
    ci = bootstrap_ci(values)
    return Verdict(
        claim, profile, decide(ci, claim.pass_interval()), values=values,
        mean=float(np.mean(values)), std=float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
        ci=ci,
    )
