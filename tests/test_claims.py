"""Claim rules and verdicts on hand-computed fixtures."""

import math

import pytest

from ibcore.claims import (
    ClaimError,
    confidence_interval,
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
        "why = 'because'\nprofiles = ['quick']\nexpect = 'reproduced'\nkind = 'paper'\n" + body
    )
    return load_claims(path)[0]


def verdict(claim, values, others=None, deterministic=None):
    """Seeds 0..n-1 of experiment 'e'; one value is decided by value (a deterministic run)."""
    runs = {"e": {i: {"m": v, "o": o}
                  for i, (v, o) in enumerate(zip(values, others or [0] * len(values)))}}
    det = len(values) == 1 if deterministic is None else deterministic
    return evaluate(claim, "quick", runs, deterministic={"e"} if det else ())


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
    # two seeds: a t-interval with one degree of freedom is ±12.7 standard errors wide
    assert verdict(c, [0.8, 0.9]).verdict == "inconclusive"
    assert verdict(c, [0.8, 0.9, 0.85, 0.82, 0.88]).verdict == "reproduced"
    assert verdict(c, [0.5]).verdict == "not_reproduced"


def test_less_and_greater_than_are_paired_differences(tmp_path):
    lt = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n")
    v = verdict(lt, [1.0, 2.0, 3.0, 4.0, 5.0], others=[1.5, 2.5, 3.5, 4.5, 5.5])
    assert v.values == [-0.5] * 5 and v.verdict == "reproduced"
    gt = make_claim(tmp_path, "metric = 'm'\npublished = 'a>b'\nrule = 'greater_than'\n"
                    "other = 'o'\nmargin = 1.0\n", name="g.toml")
    assert verdict(gt, [3.0], others=[1.5]).verdict == "reproduced"
    assert verdict(gt, [2.0], others=[1.5]).verdict == "not_reproduced"


def test_fewer_than_five_seeds_decide_nothing(tmp_path):
    """Four seeds whose interval clears the band are still inconclusive, with the reason."""
    lt = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n")
    v = verdict(lt, [1.0, 2.0, 3.0, 4.0], others=[1.5, 2.5, 3.5, 4.5])
    assert v.verdict == "inconclusive" and v.ci is not None and "4 seeds" in v.note
    assert verdict(lt, [1.0, 2.0, 3.0, 4.0, 5.0],
                   others=[1.5, 2.5, 3.5, 4.5, 5.5]).verdict == "reproduced"


def test_comparisons_are_strict(tmp_path):
    """A tie is not 'less than': a CI that touches 0 cannot be a pass."""
    lt = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n")
    assert verdict(lt, [1.0], others=[1.0]).verdict == "not_reproduced"
    assert verdict(lt, [1.0, 0.0], others=[1.0, 1.0]).verdict == "inconclusive"


def test_other_metric_from_another_experiment(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                   "other = 'f:x'\n")
    runs = {"e": {0: {"m": 1.0}}, "f": {0: {"x": 3.0}}}
    v = evaluate(c, "quick", runs, deterministic={"e", "f"})
    assert v.values == [-2.0] and v.verdict == "reproduced"
    assert evaluate(c, "quick", {"e": {0: {"m": 1.0}}}).verdict == "not_run"


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
        evaluate(c, "quick", {"e": {0: {"a": {"c": 1}}}})


def test_not_run_outside_profiles_and_without_runs(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n")
    outside = evaluate(c, "paper", {"e": {0: {"m": 0.0}}})
    assert outside.verdict == "not_run" and "checked under 'quick' only" in outside.note
    assert evaluate(c, "quick", {}).verdict == "not_run"
    assert c.expected("paper") == "not_run" and c.expected("quick") == "reproduced"


def test_interval_is_a_pure_function_and_contains_the_t_interval():
    from scipy import stats

    vals = [0.1, 0.5, 0.3, 0.9, 0.2]
    assert confidence_interval(vals) == confidence_interval(vals)
    lo, hi = confidence_interval(vals)
    t_lo, t_hi = stats.t.interval(0.95, 4, loc=0.4, scale=stats.sem(vals))
    assert lo <= t_lo < 0.4 < t_hi <= hi
    # below five seeds it is exactly Student's t
    assert confidence_interval(vals[:3]) == pytest.approx(
        stats.t.interval(0.95, 2, loc=0.3, scale=stats.sem(vals[:3])))
    assert confidence_interval([0.4, 0.4, 0.4]) == (0.4, 0.4)
    with pytest.raises(ValueError, match="at least two"):
        confidence_interval([0.4])


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
           "published = 1\nrule = 'interval'\nwhy = 'w'\nprofiles = ['quick']\nexpect = '{}'\n"
           "kind = 'paper'\n")
    p.write_text(one.format("reproduced") * 2)
    with pytest.raises(ConfigError, match="duplicate claim id"):
        load_claims(p)
    p.write_text(one.format("passed"))
    with pytest.raises(ConfigError, match="expect must be one of"):
        load_claims(p)


def test_expect_may_record_the_verdicts_of_several_cpus(tmp_path):
    """A list records verdicts measured on different CPUs: each of them matches, others do not;
    a list with an unknown or a repeated verdict is an error naming the profile."""
    p = tmp_path / "claims.toml"
    text = ("[[claims]]\nid = 'x'\nstatement = 's'\nsource = 's'\nexperiment = 'e'\n"
            "metric = 'm'\npublished = 1\nrule = 'within'\nabs_tol = 0.5\nwhy = 'w'\n"
            "profiles = ['quick']\nkind = 'paper'\nexpect = {{ quick = {} }}\n")
    p.write_text(text.format('["inconclusive", "reproduced"]'))
    (claim,) = load_claims(p)
    assert claim.expected("quick") == "inconclusive or reproduced"
    five = {"e": {i: {"m": v} for i, v in enumerate([1.0, 1.1, 0.9, 1.05, 0.95])}}
    spread = {"e": {i: {"m": v} for i, v in enumerate([0.0, 2.0, 0.5, 1.5, 1.0])}}
    far = {"e": {i: {"m": v} for i, v in enumerate([5.0, 5.1, 4.9, 5.05, 4.95])}}
    got = {name: evaluate(claim, "quick", runs)
           for name, runs in (("five", five), ("spread", spread), ("far", far))}
    assert [got[n].verdict for n in ("five", "spread", "far")] == [
        "reproduced", "inconclusive", "not_reproduced"]
    assert got["five"].as_expected and got["spread"].as_expected
    assert not got["far"].as_expected
    assert got["five"].to_dict()["as_expected"] is True
    for bad in ('["reproduced", "passed"]', '["reproduced", "reproduced"]', "[]"):
        p.write_text(text.format(bad))
        with pytest.raises(ConfigError, match="expect must be one of .* profile 'quick'"):
            load_claims(p)


# --------------------------------------------------------------- statistics of the verdicts


def test_one_stochastic_seed_is_inconclusive_but_a_deterministic_one_is_decided(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 2.1\nrule = 'within'\nabs_tol = 0.2\n")
    v = verdict(c, [2.0], deterministic=False)
    assert v.verdict == "inconclusive" and v.note == "one seed: no spread" and v.ci is None
    d = verdict(c, [2.0], deterministic=True)
    assert d.verdict == "reproduced" and d.interval.startswith("exact value")
    assert verdict(c, [2.6], deterministic=True).verdict == "not_reproduced"


def test_deterministic_experiment_with_differing_seeds_is_an_error(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 2.1\nrule = 'within'\nabs_tol = 0.2\n")
    with pytest.raises(ClaimError, match="declared deterministic"):
        verdict(c, [2.0, 2.05], deterministic=True)


def test_pairs_match_by_seed_number_not_position(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                   "other = 'f:x'\n")
    # the same seeds listed in a different order: seed s has m = s and x = s + 1
    own = {s: {"m": float(s)} for s in (3, 1, 2, 0, 4)}
    other = {s: {"x": s + 1.0} for s in (0, 1, 2, 3, 4)}
    v = evaluate(c, "quick", {"e": own, "f": other})
    assert v.seeds == [0, 1, 2, 3, 4] and v.values == [-1.0] * 5
    assert v.verdict == "reproduced"  # zero spread at −1 < 0


def test_differing_seed_sets_are_an_error_naming_the_seeds(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                   "other = 'f:x'\n")
    runs = {"e": {0: {"m": 1.0}, 1: {"m": 1.0}, 7: {"m": 1.0}},
            "f": {0: {"x": 2.0}, 1: {"x": 2.0}, 2: {"x": 2.0}}}
    with pytest.raises(ClaimError, match=r"claim 'c'.*seeds \[2\] are missing from 'e'|"
                       r"claim 'c'.*\[7\] are missing from 'f'"):
        evaluate(c, "quick", runs)


CENSORED = ("metric = 'min_epoch'\npublished = 'a<b'\nrule = 'less_than'\nother = 'o'\n"
            "censored = {metric = 'epochs', below = 60, "
            "reason = 'runs shorter than the published minimum epoch'}\n")


def test_censored_statistic_is_not_run_never_not_reproduced(tmp_path):
    c = make_claim(tmp_path, CENSORED)
    short = {"e": {s: {"min_epoch": 19, "o": 5, "epochs": 20} for s in range(5)}}
    v = evaluate(c, "quick", short)
    assert v.verdict == "not_run" and "published minimum epoch" in v.note
    long = {"e": {s: {"min_epoch": 60 + s, "o": 75 + s, "epochs": 100} for s in range(5)}}
    assert evaluate(c, "quick", long).verdict == "reproduced"


def test_a_saturated_estimate_can_be_censored_as_inconclusive(tmp_path):
    c = make_claim(tmp_path, CENSORED.replace("epoch'}", "epoch', verdict = 'inconclusive'}"))
    short = {"e": {s: {"min_epoch": 19 + s, "o": 5, "epochs": 20} for s in range(5)}}
    v = evaluate(c, "quick", short)
    assert v.verdict == "inconclusive" and v.note.startswith("censored:")
    long = {"e": {s: {"min_epoch": 60 + s, "o": 50, "epochs": 100} for s in range(5)}}
    assert evaluate(c, "quick", long).verdict == "not_reproduced"


def test_censoring_an_unknown_metric_is_an_error(tmp_path):
    c = make_claim(tmp_path, CENSORED)
    runs = {"e": {s: {"min_epoch": 19, "o": 5} for s in range(3)}}
    with pytest.raises(ClaimError, match=r"claim 'c', field 'censored'.*metric 'epochs'"):
        evaluate(c, "quick", runs)


def claim_file(tmp_path, extra: str):
    p = tmp_path / "claims.toml"
    p.write_text("[[claims]]\nid = 'x'\nstatement = 's'\nsource = 's'\nexperiment = 'e'\n"
                 "metric = 'm'\npublished = 1\nrule = 'interval'\nwhy = 'w'\n"
                 "profiles = ['quick']\nexpect = 'reproduced'\n" + extra)
    return p


def test_kind_is_required(tmp_path):
    assert load_claims(claim_file(tmp_path, "kind = 'check'\n"))[0].kind == "check"
    with pytest.raises(ConfigError, match=r"claim 'x'.*\['kind'\]"):
        load_claims(claim_file(tmp_path, ""))


@pytest.mark.parametrize("extra, message", [
    ("kind = 'headline'\n", "field 'kind' must be one of"),
    ("kind = 'paper'\ncensored = {metric = 'e', reason = 'r'}\n", "exactly one of"),
    ("kind = 'paper'\ncensored = {metric = 'e', below = 'x', reason = 'r'}\n",
     "censored.below' must be a number"),
    ("kind = 'paper'\ncensored = {metric = 'e', below = 1, reason = 'r', verdict = 'failed'}\n",
     "censored.verdict' must be one of"),
    ("kind = 'paper'\npublished_gap = 'big'\n", "'published_gap' must be a number"),
])
def test_malformed_statistics_fields(tmp_path, extra, message):
    with pytest.raises(ConfigError, match=message):
        load_claims(claim_file(tmp_path, extra))


def test_power_note_says_when_seeds_cannot_resolve_the_published_gap(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                   "other = 'o'\npublished_gap = -0.04\npublished_sd = 0.09\n")
    v = verdict(c, [-0.1, 0.05, -0.02, 0.03], others=[0, 0, 0, 0])
    assert v.verdict == "inconclusive"
    assert "underpowered" in v.power and "0.04" in v.power and "4 seeds" in v.power
    assert "seeds would" in v.power and "not against the paper" in v.power
    big = make_claim(tmp_path, "metric = 'm'\npublished = 'a<b'\nrule = 'less_than'\n"
                     "other = 'o'\npublished_gap = -5.0\n", name="b.toml")
    w = verdict(big, [-5.1, -4.9, -5.0, -5.2], others=[0, 0, 0, 0])
    assert "underpowered" not in w.power and "resolve" in w.power


def test_resolvable_difference_and_seeds_to_resolve():
    from scipy import stats

    from ibcore.claims import resolvable_difference, seeds_to_resolve

    assert resolvable_difference(1.0, 4) == pytest.approx(stats.t.ppf(0.975, 3) / 2)
    n = seeds_to_resolve(0.5, 1.0)
    assert resolvable_difference(1.0, n) < 0.5 <= resolvable_difference(1.0, n - 1)


def test_explain_gives_the_reason_a_claim_is_not_run_here(tmp_path):
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n"
                   "explain = { paper = 'needs CIFAR-10 and a GPU' }\n")
    assert evaluate(c, "paper", {}).note == "needs CIFAR-10 and a GPU"
    # also when the profile checks the claim but its experiment never ran (it needs a GPU)
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n"
                   "explain = { quick = 'needs CIFAR-10 and a GPU' }\n")
    assert evaluate(c, "quick", {}).note == "needs CIFAR-10 and a GPU"
    c = make_claim(tmp_path, "metric = 'm'\npublished = 0.0\nrule = 'interval'\n")
    assert evaluate(c, "quick", {}).note == "experiment 'e' not run"


def test_repeated_values_do_not_blow_up_the_bootstrap_interval():
    # the mean of equal floats need not equal them, so a resample of one repeated value has a
    # rounding-size spread; its pivot must not reach the interval (found on error rates in
    # 0.01 % steps, where several seeds tie)
    import numpy as np

    from ibcore.claims import confidence_interval

    for values in ([0.23, 0.23, 0.23, 0.5, 0.1], [0.01] * 4 + [0.02], [7.3] * 5 + [7.4]):
        lo, hi = confidence_interval(np.array(values))
        assert min(values) - 1 < lo < np.mean(values) < hi < max(values) + 1, (values, lo, hi)
