"""Every shipped replication, end to end at its smoke profile: run, report, and check."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ibcore import registry
from ibcore.cli import main

BUILTIN = [name for name in registry.available() if registry.get(name).builtin]


@pytest.mark.smoke
@pytest.mark.parametrize("paper", BUILTIN)
def test_smoke_profile_replicates(paper, isolated, monkeypatch):
    monkeypatch.delenv("IBREP_REPLICATIONS_PATH", raising=False)
    rc = main(["replicate", paper, "--profile", "smoke", "--jobs", "2", "--quiet"])
    assert rc == 0, f"{paper}: smoke verdicts differ from expect, or runs failed"
    out = Path(os.environ["IBREP_REPORTS"]) / "smoke"
    page = (out / f"{paper}.html").read_text()
    assert "Deviations from the paper" in page
    assert re.findall(r'<script[^>]+src="https?:', page) == []
    results = json.loads((out / f"{paper}.json").read_text())
    assert [c["id"] for c in results["claims"]] == [c.id for c in registry.get(paper).claims]


@pytest.mark.parametrize("paper", BUILTIN)
def test_every_claim_has_a_reason_and_a_known_metric_experiment(paper):
    rep = registry.get(paper)
    for claim in rep.claims:
        assert claim.why.strip(), f"{paper}:{claim.id} has no tolerance reason"
        assert claim.experiment in rep.config.experiments


@pytest.mark.parametrize("paper", BUILTIN)
def test_a_statement_in_bits_or_nats_carries_that_unit(paper):
    # the verdict table prints `unit` beside published and ours; a claim whose statement
    # names its scale must not show a bare number there
    for claim in registry.get(paper).claims:
        for scale in ("bits", "nats"):
            if re.search(rf"\b{scale}\b", claim.statement):
                assert scale in claim.unit, f"{paper}:{claim.id} speaks of {scale}, unit " \
                                            f"is {claim.unit!r}"
