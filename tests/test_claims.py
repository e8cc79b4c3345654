"""Claim rules and verdicts on hand-computed fixtures."""

import math

import pytest

from ibcore.claims import (
    ClaimError,
    bootstrap_ci,
    decide,
    evaluate,
    load_claims,
    monotone_violation,
    rise_then_fall_size,
)
from ibcore.config import ConfigError


def make_claim(tmp_path, body: str, name="claims.toml"):
    path = tmp_path / name
    path.write_text(
        "[[claims]]\nid = 'c'\nstatement = 's'\nsource = 'Fig. 1'\nexperiment = 'e'\n"
        "why = 'because'\nprofiles = ['quick']\nexpect = 'reproduced'\n" + body
    )
    return load_claims(path)[0]


def verdict(claim, values, others=None):
    runs = {"e": [{"m": v, "o": o} for v, o in zip(values, others or [0] * len(values))]}
    return evaluate(claim, "quick", runs)


@pytest.mark.parametrize(
    "values, expected",
    [([2.0], "reproduced"), ([2.6], "not_reproduced"), ([1.0, 3.0, 1.0, 3.0, 2.0], "inconclusive")],
)
def test_within_absolute(tmp_path, values, expected):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 2.1\nrule = 'within'\nabs_tol = 0.2\n")
    assert c.pass_interval() == pytest.approx((1.9, 2.3))
    assert verdict(c, values).verdict == expected


def test_within_relative(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 10.0\nrule = 'within'\nrel_tol = 0.1\n")
    assert c.pass_interval() == pytest.approx((9.0, 11.0))
    assert verdict(c, [10.9]).verdict == "reproduced"
    assert verdict(c, [11.1]).verdict == "not_reproduced"


def test_within_needs_exactly_one_tolerance(tmp_path):
    with pytest.raises(ConfigError, match="exactly one of"):
        make_claim(tmp_path, "metric = 'm'\npublished = 1.0\nrule = 'within'\n")


def test_interval_one_sided(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'big'\nrule = 'interval'\nlo = 0.7\n")
    assert c.pass_interval() == (0.7, math.inf)
    assert verdict(c, [0.8, 0.9]).verdict == "reproduced"
    assert verdict(c, [0.5]).verdict == "not_reproduced"


def test_less_and_greater_than_are_paired_differences(tmp_path):
    lt = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n")
    v = verdict(lt, [1.0, 2.0], others=[1.5, 2.5])
    assert v.values == [-0.5, -0.5] and v.verdict == "reproduced"
    gt = make_claim(tmp_path, "metric = 'm'\npublished = 'a>b'\nrule = 'greater_than'\n"
                    "other = 'o'\nmargin = 1.0\n", name="g.toml")
    assert verdict(gt, [3.0], others=[1.5]).verdict == "reproduced"
    assert verdict(gt, [2.0], others=[1.5]).verdict == "not_reproduced"


def test_comparisons_are_strict(tmp_path):
    """A tie is not 'less than': a CI that touches 0 cannot be a pass."""
    lt = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n")
    assert verdict(lt, [1.0], others=[1.0]).verdict == "not_reproduced"
    assert verdict(lt, [1.0, 0.0], others=[1.0, 1.0]).verdict == "inconclusive"


def test_other_metric_from_another_experiment(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                   "other = 'f:x'\n")
    runs = {"e": [{"m": 1.0}], "f": [{"x": 3.0}]}
    v = evaluate(c, "quick", runs)
    assert v.values == [-2.0] and v.verdict == "reproduced"
    assert evaluate(c, "quick", {"e": [{"m": 1.0}]}).verdict == "not_run"


def test_monotone_violation_by_hand():
    import numpy as np

    assert monotone_violation(np.array([1.0, 2.0, 3.0]), "increasing") == 0.0
    assert monotone_violation(np.array([1.0, 3.0, 2.0, 4.0]), "increasing") == 1.0
    assert monotone_violation(np.array([5.0, 4.0, 4.5]), "decreasing") == 0.5


def test_monotone_rule_takes_worst_series(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'up'\nrule = 'monotone'\nslack = 0.1\n")
    assert verdict(c, [[[0, 1, 2], [0, 1, 0.95]]]).verdict == "reproduced"
    assert verdict(c, [[[0, 1, 2], [0, 1, 0.5]]]).verdict == "not_reproduced"


def test_rise_then_fall_by_hand(tmp_path):
    import numpy as np

    assert rise_then_fall_size(np.array([0.0, 2.0, 1.0]), True) == 1.0
    assert rise_then_fall_size(np.array([3.0, 2.0, 1.0]), True) == 0.0
    assert rise_then_fall_size(np.array([3.0, 2.0, 1.0]), False) == 2.0
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'hump'\nrule = 'rise_then_fall'\n"
                   "margin = 0.5\n")
    assert verdict(c, [[0.0, 2.0, 1.0]]).verdict == "reproduced"
    assert verdict(c, [[0.0, 2.0, 1.8]]).verdict == "not_reproduced"


def test_nan_metric_is_an_error_never_a_pass(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n")
    with pytest.raises(ClaimError, match="claim 'c'"):
        verdict(c, [float("nan")])


def test_missing_metric_names_claim_and_metric(tmp_path):
    c = make_claim(tmp_path, "metric = 'a.b'\npublished = 0.0\nrule = 'interval'\n")
    with pytest.raises(ClaimError, match=r"claims.toml: claim 'c'.*metric 'a.b' not produced"):
        evaluate(c, "quick", {"e": [{"a": {"c": 1}}]})


def test_not_run_outside_profiles_and_without_runs(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n")
    assert evaluate(c, "paper", {"e": [{"m": 0.0}]}).verdict == "not_run"
    assert evaluate(c, "quick", {}).verdict == "not_run"
    assert c.expected("paper") == "not_run" and c.expected("quick") == "reproduced"


def test_bootstrap_is_seeded_and_degenerates_for_one_value():
    vals = [0.1, 0.5, 0.3, 0.9, 0.2]
    assert bootstrap_ci(vals) == bootstrap_ci(vals)
    lo, hi = bootstrap_ci(vals)
    assert lo < sum(vals) / len(vals) < hi
    assert bootstrap_ci([0.4]) == (0.4, 0.4)


def test_decide_boundaries():
    assert decide((1.0, 2.0), (0.0, 3.0)) == "reproduced"
    assert decide((4.0, 5.0), (0.0, 3.0)) == "not_reproduced"
    assert decide((2.0, 4.0), (0.0, 3.0)) == "inconclusive"


@pytest.mark.parametrize(
    "body, message",
    [
        ("metric = 'm'\npublished = 1\nrule = 'nope'\n", "unknown rule 'nope'"),
        ("metric = 'm'\npublished = 1\nrule = 'interval'\nbogus = 2\n", "not known to rule"),
        ("metric = 'm'\npublished = 1\nrule = 'rise_then_fall'\n", "needs field 'margin'"),
        ("published = 1\nrule = 'interval'\n", "missing field"),
    ],
)
def test_malformed_claims(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        make_claim(tmp_path, body)


def test_duplicate_ids_and_bad_expect(tmp_path):
    p = tmp_path / "claims.toml"
    one = ("[[claims]]\nid = 'x'\nstatement = 's'\nsource = 's'\nexperiment = 'e'\nmetric = 'm'\n"
           "published = 1\nrule = 'interval'\nwhy = 'w'\nprofiles = ['quick']\nexpect = '{}'\n")
    p.write_text(one.format("reproduced") * 2)
    with pytest.raises(ConfigError, match="duplicate claim id"):
        load_claims(p)
    p.write_text(one.format("passed"))
    with pytest.raises(ConfigError, match="expect must be one of"):
        load_claims(p)
