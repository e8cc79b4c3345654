"""What a replication's report notebook uses: its runs, verdicts and standard sections.

`ibrep report` first writes the results file `reports/<profile>/<paper>.json` (see
`ibcore.results_file`), then executes `replications/<paper>/report.py` with a hidden first cell
that calls `use_results_file(path)`. `Results.load(paper)` reads that file: the verdicts as
computed there (nothing is re-decided) and the metrics of the same runs, from the run store or the
bundle the file names. Outside `ibrep report` (e.g. in Jupyter), `Results.load(paper, profile)`
reads the committed `reports/<profile>/<paper>.json`.

Figures read metrics with `R.metrics(experiment)` and stored arrays with `R.arrays(experiment)`,
the one call for arrays: it returns one dict of arrays per seed, or [] (with a printed note) when
the page is rendered from a bundle, since bundles carry no arrays.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibcore import bundle, registry, results_file
from ibcore.claim_history import claim_dates
from ibcore.claims import Claim, Verdict
from ibcore.config import DEFAULT_PROFILE
from ibcore.forest import decided, forest_plot
from ibcore.plots import use_theme
from ibcore.report import reports_dir
from ibcore.results import Collected, collect, verdict_rows, verdict_summary
from ibcore.store import RunStore
from ibcore.verdict_text import verdict_paragraph

use_theme()  # one look for every page's figures

_BOUND: list[Path] = []  # the results file `ibrep report` is rendering, set by its hidden cell


def use_results_file(path: str | Path) -> None:
    """Make `Results.load` read `path` (called by the hidden first cell of `ibrep report`)."""
    _BOUND[:] = [Path(path)]


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def _display_markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def verdict_from_dict(data: dict[str, Any], claim: Claim) -> Verdict:
    """Rebuild a `Verdict` from its `to_dict()` record (every field the dataclass declares)."""
    names = {f.name for f in dataclasses.fields(Verdict)} - {"claim"}
    values = {k: data[k] for k in names if k in data}
    if isinstance(values.get("ci"), list):
        values["ci"] = tuple(values["ci"])
    return Verdict(claim=claim, **values)


def downloads(paper: str, profile: str, records: list[dict[str, Any]]) -> str:
    """Links that save the page's per-claim results as JSON and CSV (data: URIs, offline)."""
    import base64
    import csv
    import io

    cols = ["id", "kind", "verdict", "expected", "mean", "std", "n", "interval", "published",
            "published_gap", "rule", "note", "power"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*cols, "ci_low", "ci_high", "values", "seeds"],
                            extrasaction="ignore")
    writer.writeheader()
    for r in records:
        ci = r.get("ci") or [None, None]
        writer.writerow({**r, "ci_low": ci[0], "ci_high": ci[1],
                         "values": " ".join(f"{v:.6g}" for v in r.get("values", [])),
                         "seeds": " ".join(str(s) for s in r.get("seeds", []))})
    blobs = {"json": ("application/json", json.dumps(records, indent=1, default=str)),
             "csv": ("text/csv", buf.getvalue())}
    links = " · ".join(
        f'<a download="{html.escape(paper)}-{html.escape(profile)}-claims.{ext}" '
        f'href="data:{mime};base64,{base64.b64encode(text.encode()).decode()}">{ext.upper()}</a>'
        for ext, (mime, text) in blobs.items())
    return f"<p><small>Per-claim results of this page: {links}</small></p>"


def anchor_id(experiment: str) -> str:
    """The HTML id of the place on a page where an experiment's results are first shown."""
    return "exp-" + re.sub(r"[^A-Za-z0-9_-]", "-", experiment)


def breakable(text: str) -> str:
    """HTML-escaped text with a line-break opportunity (<wbr>) after every '.', '_' and '/'
    that a letter follows: claim ids and dotted metric paths have no spaces, and unbroken they
    set a table's narrowest width past a 1,280 px window. Numbers ("0.25") are never split."""
    return re.sub(r"([._/])(?=[A-Za-z])", r"\1<wbr>", html.escape(text))


def page_row(row: dict[str, str]) -> dict[str, str]:
    """A verdict-table row as a reader sees it: the statement (id small) with a link to the
    section that shows its experiment, the rule in words, ours, the verdict, `expect` as a small
    regression marker, and the notes."""
    marker = ('<small title="the verdict recorded in claims.toml">as recorded</small>'
              if row["as_expected"]
              else f'<small><b>≠ recorded {html.escape(row["expected"])}</b></small>')
    return {
        # the id whole in `title`: shown on hover, and found by a search of the page source
        "claim": f'{html.escape(row["statement"])}<br><small><code title="'
                 f'{html.escape(row["claim"])}">{breakable(row["claim"])}</code> '
                 f'<a class="ibrep-goto" href="#{anchor_id(row["experiment"])}">'
                 "see its figure ↓</a></small>",
        "source": row["source"], "published": row["published"], "rule": breakable(row["rule"]),
        "ours: mean [95 % interval]": row["ours"], "seeds": row["seeds"],
        "verdict": row["verdict"], "expect": marker, "notes": row["notes"],
    }


def html_table(rows: Sequence[dict[str, Any]], css_for: dict[str, str] | None = None,
               raw: set[str] | None = None) -> str:
    """A plain HTML table from dict rows; `css_for` maps a column to its cells' class prefix;
    columns in `raw` hold HTML already escaped by the caller."""
    if not rows:
        return "<p><em>(empty)</em></p>"
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for row in rows:
        cells = []
        for c in cols:
            value = str(row[c]) if raw and c in raw else html.escape(str(row[c]))
            cls = f' class="{css_for[c]}{value}"' if css_for and c in css_for else ""
            cells.append(f"<td{cls}>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="ibrep-scroll"><table class="ibrep"><tr>{head}</tr>{"".join(body)}'
            "</table></div>")


@dataclass
class Results:
    """A replication's stored results under one profile."""

    paper: str
    profile: str
    store: RunStore | None
    seeds: tuple[int, ...] | None = None
    _collected: Collected = field(default_factory=Collected, repr=False)
    _verdicts: list[Verdict] = field(default_factory=list, repr=False)
    _anchored: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, paper: str, profile: str | None = None) -> Results:
        """Read the results file (verdicts as computed there) and the metrics of its runs."""
        name = registry.get(paper).name
        if _BOUND and profile is None:
            path = _BOUND[0]
        else:
            path = results_file.results_path(name, profile or DEFAULT_PROFILE, reports_dir())
        data = results_file.read(path)
        if data["paper"] != name:
            raise results_file.ResultsFileError(
                f"{path}: field 'paper' is {data['paper']!r}, not {name!r}")
        profile, src = data["profile"], data["source"]
        seeds = tuple(src["seeds"]) if src.get("seeds") else None
        where = results_file.source_path(data, path)
        if src.get("kind") == "bundle":
            collected = bundle.load(where).collected(seeds)
        else:
            collected = collect(name, profile, seeds, RunStore(where))
        claims = {c.id: c for c in registry.get(name).claims}
        items = []
        for entry in data["claims"]:
            if entry.get("id") not in claims:
                raise results_file.ResultsFileError(
                    f"{path}: claim {entry.get('id')!r} is not in claims.toml any more; "
                    f"run `ibrep report {name} --profile {profile}` again")
            items.append(verdict_from_dict(entry, claims[entry["id"]]))
        return cls(name, profile, collected.store, seeds, collected, items)

    # ----------------------------------------------------------------- data access
    @property
    def replication(self) -> registry.Replication:
        return registry.get(self.paper)

    def _anchor(self, experiment: str) -> None:
        """Mark the first place a report reads an experiment: the verdict table links there."""
        if experiment not in self._anchored:
            self._anchored.add(experiment)
            _display_html(f'<a id="{anchor_id(experiment)}" class="ibrep-anchor"></a>')

    def metrics(self, experiment: str) -> list[dict[str, Any]]:
        """One metrics dict per seed; [] when the experiment did not run in this profile."""
        self._anchor(experiment)
        return self._collected.metrics.get(experiment, [])

    def runs(self, experiment: str) -> list[dict[str, Any]]:
        """Like `metrics`, but prints a one-line note when the experiment did not run here."""
        found = self.metrics(experiment)
        if not found:
            print(f"`{experiment}` was not run in the '{self.profile}' profile.")
        return found

    @staticmethod
    def seed_mean(runs: list[dict[str, Any]], *path: str) -> np.ndarray:
        """Mean over seeds of the array found at `path` (keys, in order) in every run's metrics."""
        arrays = []
        for node in runs:
            for key in path:
                node = node[key]
            arrays.append(np.asarray(node, dtype=float))
        return np.mean(arrays, axis=0)

    def arrays(self, experiment: str) -> list[dict[str, np.ndarray]]:
        """One dict of stored arrays per seed (`ctx.save_arrays`); [] with a note from a bundle."""
        self._anchor(experiment)
        specs = self._collected.specs.get(experiment, [])
        if specs and self.store is None:
            print(f"The arrays of `{experiment}` are not in result bundles, and this page was "
                  f"rendered from one: run `ibrep run {self.paper} --profile {self.profile}` to "
                  "store them and render again.")
            return []
        return [self.store.arrays(s) for s in specs]

    def config(self, experiment: str) -> dict[str, Any]:
        return dict(self.replication.config.resolve(self.profile)[experiment].params)

    @property
    def verdict_list(self) -> list[Verdict]:
        return self._verdicts

    # ----------------------------------------------------------------- standard sections
    def verdict_table(self) -> None:
        """The answer first (a generated verdict paragraph), then the verdict table of paper
        claims, the checks apart, and a forest plot of the decided claims."""
        records = [v.to_dict() for v in self._verdicts]
        _display_html(verdict_paragraph(records, self.profile))
        papers = [v for v in self._verdicts if v.claim.kind == "paper"]
        checks = [v for v in self._verdicts if v.claim.kind == "check"]
        summary = verdict_summary(papers)
        def table(items: list[Verdict]) -> str:
            """Decided claims in file order; the not-run ones folded into one group."""
            ran = [v for v in items if v.verdict != "not_run"]
            idle = [v for v in items if v.verdict == "not_run"]
            out = html_table([page_row(r) for r in verdict_rows(ran)], css_for={"verdict": "v-"},
                             raw={"claim", "rule", "expect"}) if ran else ""
            if idle:
                rows = [{"claim": html.escape(v.claim.statement), "id": breakable(v.claim.id),
                         "why not run": html.escape(v.note)} for v in idle]
                out += (f"<details><summary>{len(idle)} claim(s) not run under "
                        f"<code>{html.escape(self.profile)}</code> (with the reason)</summary>"
                        f"{html_table(rows, raw=set(rows[0]))}</details>")
            return out

        _display_html(
            f"<p><b>Profile:</b> <code>{html.escape(self.profile)}</code> — paper claims: "
            f"{summary}; {len(checks)} checks listed apart. “ours” is the claim's statistic: "
            "the mean over seeds and its 95 % interval (a Student t-interval; from 5 seeds on "
            "widened to contain the studentized-bootstrap interval, so skewed seeds are covered "
            "too). One seed of a stochastic experiment is never a verdict; a deterministic "
            "experiment is decided by its value.</p>" + table(papers)
            + (f"<h3>Checks (self-consistency, not published claims)</h3>{table(checks)}"
               if checks else "")
        )
        if decided(records):
            import matplotlib.pyplot as plt

            forest_plot(records, "Decided paper claims: how far each result is from its band")
            plt.show()
        committed = claim_dates(self.replication.directory / "claims.toml",
                                [v.claim.id for v in self._verdicts])
        statements = [
            {"claim": breakable(v.claim.id), "statement": html.escape(v.claim.statement),
             "tolerance: why": html.escape(v.claim.why),
             "claim first committed": committed[v.claim.id],
             "runs finished": self.run_dates(v.claim.experiment)}
            for v in self._verdicts
        ]
        _display_html(
            "<details><summary>Claims in full: each tolerance with its reason, the date it was "
            "first committed (from git) and the dates of the runs that decided it</summary>"
            + html_table(statements, raw={"claim", "statement", "tolerance: why"})
            + "</details>" + downloads(self.paper, self.profile, records))

    def run_dates(self, experiment: str) -> str:
        """First and last `finished_at` date of an experiment's runs ('' when none ran)."""
        days = sorted(p.get("finished_at", "")[:10] for p in
                      self._collected.provenance.get(experiment, []) if p.get("finished_at"))
        if not days:
            return ""
        return days[0] if days[0] == days[-1] else f"{days[0]} … {days[-1]}"

    def deviations(self) -> None:
        """The '## Deviations' section of the replication's README, verbatim."""
        text = self.replication.readme.read_text() if self.replication.readme.is_file() else ""
        match = re.search(r"^## Deviations.*?$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
        body = match.group(1).strip() if match else "_No deviations section in the README._"
        _display_markdown("## Deviations from the paper\n\n" + body)

    def provenance(self) -> None:
        """Commit, versions, machine, seeds and wall time of the runs behind this page."""
        rows = []
        for exp, specs in self._collected.specs.items():
            provs = self._collected.provenance.get(exp, [])
            first = provs[0] if provs else {}
            rows.append({
                "experiment": exp,
                "seeds": ", ".join(str(s.seed) for s in specs),
                "wall time (s, sum)": f"{sum(p.get('wall_time_s', 0) for p in provs):.1f}",
                "commit": first.get("git_commit", "?")[:18],
                "torch threads": first.get("torch_threads", "?"),
                "cpu": first.get("cpu", "?"),
                "versions": ", ".join(f"{k} {v}" for k, v in first.get("versions", {}).items()),
            })
        for exp, specs in self._collected.missing.items():
            rows.append({"experiment": exp, "seeds": "missing: " + ", ".join(
                str(s.seed) for s in specs), "wall time (s, sum)": "", "commit": "",
                "torch threads": "", "cpu": "", "versions": ""})
        _display_markdown("## Provenance")
        _display_html(html_table(rows))
