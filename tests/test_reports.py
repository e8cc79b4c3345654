"""Per-profile pages and results files: nothing to report, fewer decided claims, bundles, index."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ibcore.cli import main
from ibcore.notebook import Results
from ibcore.report import write_index

RUN = ["run", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]


def reports() -> Path:
    return Path(os.environ["IBREP_REPORTS"])


def test_report_with_no_runs_and_no_bundle_writes_nothing(toy, capsys):
    committed = reports() / "smoke"
    committed.mkdir(parents=True)
    (committed / "toy.html").write_text("<p>committed page</p>")
    (committed / "toy.json").write_text('{"counts": {"reproduced": 3}}')
    assert main(["report", "toy", "--profile", "smoke"]) == 2
    err = capsys.readouterr().err
    assert "nothing to report" in err and "ibrep run toy --profile smoke" in err
    assert (committed / "toy.html").read_text() == "<p>committed page</p>"
    assert sorted(p.name for p in reports().rglob("*")) == ["smoke", "toy.html", "toy.json"]


def test_results_file_holds_every_claim_and_the_notebook_reads_it(toy):
    assert main(["replicate", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    path = reports() / "smoke" / "toy.json"
    data = json.loads(path.read_text())
    assert data["profile"] == "smoke" and data["counts"]["reproduced"] == 3
    assert data["source"]["kind"] == "store" and data["source"]["runs"] == 6
    first = data["claims"][0]
    assert first["id"] == "slope_near_two" and first["n"] == 5 and len(first["values"]) == 5
    assert first["verdict"] == "reproduced" and len(first["ci"]) == 2
    # the notebook shows the file's verdicts, it does not decide them again
    data["claims"][0]["verdict"] = "inconclusive"
    path.write_text(json.dumps(data))
    loaded = Results.load("toy", "smoke")
    assert loaded.verdict_list[0].verdict == "inconclusive"
    assert loaded.metrics("fit")[0]["slope"] == first["values"][0]  # the same runs
    assert len(loaded.arrays("fit")) == 5  # rendered from the store: arrays are there


def test_page_with_fewer_decided_claims_is_refused_unless_forced(toy, capsys):
    assert main(["replicate", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    page = reports() / "smoke" / "toy.html"
    before = page.read_bytes()
    shutil.rmtree(Path(os.environ["IBREP_HOME"]) / "toy" / "curve")  # one experiment lost
    capsys.readouterr()
    assert main(["report", "toy", "--profile", "smoke"]) == 1
    err = capsys.readouterr().err
    assert "not replaced" in err and "decide 2 claim(s)" in err and "--force" in err
    assert page.read_bytes() == before
    assert main(["report", "toy", "--profile", "smoke", "--force"]) == 0
    counts = json.loads((reports() / "smoke" / "toy.json").read_text())["counts"]
    assert counts["not_run"] == 1 and counts["reproduced"] == 2


def test_report_renders_from_a_bundle_when_the_store_is_empty(toy, monkeypatch, tmp_path, capsys):
    assert main(RUN) == 0
    assert main(["bundle", "toy", "--profile", "smoke"]) == 0
    monkeypatch.setenv("IBREP_HOME", str(tmp_path / "empty"))
    assert main(["report", "toy", "--profile", "smoke"]) == 0
    assert "rendering from the bundle" in capsys.readouterr().err
    data = json.loads((reports() / "smoke" / "toy.json").read_text())
    assert data["source"]["kind"] == "bundle" and data["counts"]["reproduced"] == 3
    assert data["source"]["path"] == os.path.relpath(
        Path(os.environ["IBREP_RESULTS"]) / "smoke" / "toy.json.gz", reports() / "smoke")
    page = (reports() / "smoke" / "toy.html").read_text()
    assert "data:image/png;base64" in page  # the figure came from the bundled metrics
    loaded = Results.load("toy", "smoke")
    capsys.readouterr()
    assert loaded.arrays("fit") == []
    assert "not in result bundles" in capsys.readouterr().out


def test_index_lists_every_paper_under_every_profile(toy):
    for profile, reproduced in (("smoke", 3), ("paper", 1)):
        folder = reports() / profile
        folder.mkdir(parents=True)
        (folder / "toy.json").write_text(json.dumps({
            "paper": "toy", "profile": profile, "title": "Toy", "citation": "c",
            "counts": {"reproduced": reproduced}, "generated": "now"}))
    (reports() / "atlas.html").write_text("<p>atlas</p>")
    index = write_index(reports()).read_text()
    assert 'href="smoke/toy.html"' in index and 'href="paper/toy.html"' in index
    assert index.index("Profile <code>paper</code>") < index.index("Profile <code>smoke</code>")
    assert "Profile <code>quick</code>" not in index
    assert 'href="atlas.html"' in index


def test_check_prints_verdicts_and_writes_no_results_file(toy):
    assert main(["check", "toy", "--profile", "smoke", "--jobs", "1", "--quiet"]) == 0
    assert not reports().exists()  # only `ibrep report` writes reports/<profile>/<paper>.json
    assert not list(Path(os.environ["IBREP_HOME"]).rglob("verdicts-*.json"))


def test_show_figure_alt_text_reaches_the_output_after_its_section():
    import nbformat
    from nbclient import NotebookClient

    from ibcore.report import describe_figures

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Planes"), nbformat.v4.new_code_cell(
        "import matplotlib\nmatplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "import matplotlib.pyplot as plt\nfrom ibcore.report import show_figure\n"
        "fig, ax = plt.subplots(); ax.plot([1, 2]); show_figure(fig, 'a rising\\n line')\n"
        "fig, ax = plt.subplots(); ax.plot([2, 1]); plt.show()")]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    describe_figures(nb)
    alts = [o["metadata"]["alt"] for o in nb.cells[1]["outputs"]
            if "image/png" in o.get("data", {})]
    assert alts == ["Figure 1 of “Planes”: a rising line", "Figure 2 of “Planes”"]


def test_verdict_rows_link_to_the_figure_only_where_the_page_shows_it():
    from ibcore.notebook import anchor_id, page_row
    from ibcore.report import drop_dead_links

    row = {"statement": "tanh compresses", "claim": "tanh_c", "experiment": "szt.tanh",
           "source": "", "published": "", "rule": "", "ours": "", "seeds": "", "verdict": "",
           "expected": "", "as_expected": True, "notes": ""}
    cell = page_row(row)["claim"]
    assert f'href="#{anchor_id("szt.tanh")}"' in cell and anchor_id("szt.tanh") == "exp-szt-tanh"
    shown = f'<table>{cell}</table><a id="exp-szt-tanh" class="ibrep-anchor"></a>'
    assert drop_dead_links(shown) == shown
    assert "ibrep-goto" not in drop_dead_links(f"<table>{cell}</table>")
    assert "tanh compresses" in drop_dead_links(f"<table>{cell}</table>")


def test_ids_and_metric_paths_may_break_but_numbers_do_not():
    from ibcore.notebook import breakable, page_row

    assert breakable("edge.mean_log10 < 0.25 & x") == "edge.<wbr>mean_<wbr>log10 &lt; 0.25 &amp; x"
    row = {"statement": "s", "claim": "szt_tanh", "experiment": "e", "source": "",
           "published": "", "rule": "a.b − c.d > 0.1", "ours": "", "seeds": "", "verdict": "",
           "expected": "", "as_expected": True, "notes": ""}
    cells = page_row(row)
    assert "szt_<wbr>tanh" in cells["claim"] and 'title="szt_tanh"' in cells["claim"]
    assert cells["rule"] == "a.<wbr>b − c.<wbr>d &gt; 0.1"


def test_claim_unit_is_printed_beside_published_and_ours(tmp_path):
    import pytest

    from ibcore.claims import load_claims
    from ibcore.errors import ConfigError
    from ibcore.results import verdict_rows

    path = tmp_path / "claims.toml"
    path.write_text('''
[[claims]]
id = "c"
statement = "s"
source = "Fig. 1"
experiment = "e"
metric = "m"
published = 2.5
rule = "within"
abs_tol = 0.5
why = "w"
profiles = ["quick"]
expect = "reproduced"
kind = "paper"
unit = "bits"
''')
    claim = load_claims(path)[0]
    assert claim.unit == "bits"
    from ibcore.claims import evaluate

    verdict = evaluate(claim, "quick", {"e": {s: {"m": 2.4 + 0.01 * s} for s in range(5)}})
    row = verdict_rows([verdict])[0]
    assert row["published"] == "2.5 bits" and row["ours"].endswith(" bits")
    assert verdict.to_dict()["unit"] == "bits"
    path.write_text(path.read_text().replace('unit = "bits"', "unit = 3"))
    with pytest.raises(ConfigError, match="'unit' must be a string"):
        load_claims(path)
