"""Grids and claim templates are a rewrite, not a change: every resolved experiment and every
parsed claim equals what the hand-written files gave (frozen in tests/fixtures/frozen/ from
the hand-written files of main at 31865e7, before the rewrite was merged).

Params are compared as canonical JSON, the form that goes into a run key, so an int that
became a float (or the reverse) fails here: the run keys of `ibcore.runner.plan` are unchanged.
Claims are compared on the fields the fixture holds, so fields added to `Claim` later do not
break the comparison but any change to a frozen field does.
"""

import dataclasses
import json
from pathlib import Path

import pytest

from ibcore.claims import load_claims
from ibcore.config import PROFILES, load_config

ROOT = Path(__file__).parents[1]
FROZEN = sorted((ROOT / "tests" / "fixtures" / "frozen").glob("*.json"))


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@pytest.fixture(params=FROZEN, ids=[p.stem for p in FROZEN])
def frozen(request):
    paper = request.param.stem
    return paper, json.loads(request.param.read_text())


@pytest.mark.parametrize("profile", PROFILES)
def test_every_experiment_resolves_as_before(frozen, profile):
    paper, old = frozen
    config = load_config(ROOT / "replications" / paper / "config.toml")
    now = {
        name: _canonical({"params": e.params, "seeds": list(e.seeds), "skip": e.skip,
                          "deterministic": e.deterministic})
        for name, e in config.resolve(profile).items()
    }
    before = {name: _canonical(exp) for name, exp in old["resolved"][profile]}
    assert sorted(now) == sorted(before)
    changed = [name for name in before if now[name] != before[name]]
    assert changed == []


def test_every_claim_parses_as_before(frozen):
    paper, old = frozen
    directory = ROOT / "replications" / paper
    claims = load_claims(directory / "claims.toml", load_config(directory / "config.toml"))
    now = {c.id: dataclasses.asdict(c) for c in claims}
    assert sorted(now) == sorted(c["id"] for c in old["claims"])
    for frozen_claim in old["claims"]:
        claim = now[frozen_claim["id"]]
        claim["profiles"] = list(claim["profiles"])
        for name, value in frozen_claim.items():
            assert _canonical(claim[name]) == _canonical(value), (frozen_claim["id"], name)
