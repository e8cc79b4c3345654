"""What a replication's report notebook uses: its runs, verdicts and standard sections.

`ibrep report` executes `replications/<paper>/report.py` with IBREP_PROFILE, IBREP_HOME and
IBREP_SEEDS in the environment; `Results.load(paper)` reads them, so the notebook itself holds
no paths or profile names.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np

from ibcore import registry
from ibcore.claims import Verdict
from ibcore.config import DEFAULT_PROFILE
from ibcore.forest import decided, forest_plot
from ibcore.results import Collected, collect, verdict_rows, verdict_summary, verdicts
from ibcore.store import RunStore
from ibcore.verdict_text import verdict_paragraph

matplotlib.rcParams.update({"figure.dpi": 90, "savefig.dpi": 90, "figure.figsize": (7.5, 4.2)})


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def _display_markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def env_seeds() -> tuple[int, ...] | None:
    raw = os.environ.get("IBREP_SEEDS")
    return tuple(json.loads(raw)) if raw else None


def html_table(rows: Sequence[dict[str, Any]], css_for: dict[str, str] | None = None) -> str:
    """A plain HTML table from dict rows; `css_for` maps a column to its cells' class prefix."""
    if not rows:
        return "<p><em>(empty)</em></p>"
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for row in rows:
        cells = []
        for c in cols:
            value = html.escape(str(row[c]))
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
    store: RunStore
    seeds: tuple[int, ...] | None = None
    _collected: Collected = field(default_factory=Collected, repr=False)
    _verdicts: list[Verdict] = field(default_factory=list, repr=False)

    @classmethod
    def load(cls, paper: str, profile: str | None = None) -> Results:
        """Read the profile's runs once and evaluate the claims on them."""
        profile = profile or os.environ.get("IBREP_PROFILE", DEFAULT_PROFILE)
        name, store, seeds = registry.get(paper).name, RunStore(), env_seeds()
        collected = collect(name, profile, seeds, store)
        return cls(name, profile, store, seeds, collected,
                   verdicts(name, profile, seeds, store, collected))

    # ----------------------------------------------------------------- data access
    @property
    def replication(self) -> registry.Replication:
        return registry.get(self.paper)

    def metrics(self, experiment: str) -> list[dict[str, Any]]:
        """One metrics dict per seed; [] when the experiment did not run in this profile."""
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
        return [self.store.arrays(s) for s in self._collected.specs.get(experiment, [])]

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
        # claims checked under this profile first, then the not-run ones (file order within each)
        def table(items: list[Verdict]) -> str:
            ordered = sorted(items, key=lambda v: v.verdict == "not_run")
            return html_table(verdict_rows(ordered), css_for={"verdict": "v-"})

        _display_html(
            f"<p><b>Profile:</b> <code>{html.escape(self.profile)}</code> — paper claims: "
            f"{summary}; {len(checks)} checks listed apart. “ours” is the claim's statistic: "
            "the mean over seeds and its 95 % interval (a Student t-interval; from 5 seeds on "
            "widened to contain the studentized-bootstrap interval, so skewed seeds are covered "
            "too; the column “interval” names it per claim). One seed of a stochastic "
            "experiment is never a verdict.</p>" + table(papers)
            + (f"<h3>Checks (self-consistency, not published claims)</h3>{table(checks)}"
               if checks else "")
        )
        if decided(records):
            import matplotlib.pyplot as plt

            forest_plot(records, "Decided paper claims: how far each result is from its band")
            plt.show()
        statements = [
            {"claim": v.claim.id, "statement": v.claim.statement, "tolerance: why": v.claim.why}
            for v in self._verdicts
        ]
        _display_html("<details><summary>Claims in full</summary>"
                      + html_table(statements) + "</details>")

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
            provs = [self.store.provenance(s) for s in specs]
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
