"""The generated verdict paragraph and the forest plot read claim records, not ids alone."""

import math

from ibcore.forest import decided, forest_plot
from ibcore.verdict_text import count, summary_sentence, verdict_paragraph


def record(cid, verdict, kind="paper", explain="", values=(1.0, 1.2, 0.9), published=1.0):
    return {"id": cid, "kind": kind, "statement": f"statement of {cid} <b>", "verdict": verdict,
            "explain": explain, "values": list(values), "ci": [0.8, 1.3] if values else None,
            "pass_interval": [0.5, 1.5], "published": published}


RECORDS = [
    record("a", "reproduced"), record("b", "not_reproduced", explain="n too small"),
    record("c", "not_reproduced"), record("d", "inconclusive"),
    record("e", "not_run", values=()), record("k", "reproduced", kind="check"),
    record("k2", "not_reproduced", kind="check"),
]


def test_counts_are_of_paper_claims_in_verdict_order():
    assert count(RECORDS) == {"reproduced": 1, "not_reproduced": 2, "inconclusive": 1,
                              "not_run": 1}
    assert count(RECORDS, "check") == {"reproduced": 1, "not_reproduced": 1, "inconclusive": 0,
                                       "not_run": 0}
    assert sum(count(RECORDS, None).values()) == len(RECORDS)


def test_summary_sentence_counts_paper_claims_and_mentions_checks_apart():
    s = summary_sentence(RECORDS, "quick")
    assert s.startswith("At the quick profile, 1 of 5 paper claims reproduced, 2 did not")
    assert "1 were not run" in s and "Of 2 checks" in s and "1 pass" in s


def test_paragraph_lists_each_failed_paper_claim_with_its_explanation_escaped():
    p = verdict_paragraph(RECORDS, "quick")
    assert p.count("<li>") == 2  # b and c, not the failed check
    assert "n too small" in p and "no explanation recorded yet" in p
    assert "&lt;b&gt;" in p and "statement of b <b>" not in p


def test_forest_plot_has_one_row_per_decided_paper_claim():
    rows = decided(RECORDS)
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    one_sided = record("f", "reproduced", published="big")
    one_sided["pass_interval"] = [0.5, math.inf]
    fig = forest_plot([*RECORDS, one_sided], title="t")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["f", "d", "c", "b", "a"]
