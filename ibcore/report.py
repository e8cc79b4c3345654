"""Render a replication's report: execute its jupytext notebook, export one offline HTML page.

The notebook runs with nbclient in a kernel started from *this* interpreter (a private
kernelspec pointing at `sys.executable`), so no user-level Jupyter setup is needed. The export
uses a template derived from JupyterLab's that fetches nothing from a CDN; images are inline.
A page lives at `reports/<profile>/<paper>.html` beside its results file `<paper>.json` (see
`ibcore.results_file`), which the notebook reads; both are written atomically, and
`reports/index.html` is rebuilt from the results files of every profile.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from ibcore import registry, results_file
from ibcore.atomic import write_atomic
from ibcore.claims import VERDICTS, Verdict
from ibcore.config import PROFILES
from ibcore.results import Collected

TEMPLATE_DIR = Path(__file__).parent / "report_template"
KERNEL_NAME = "ibrep-python"

# The one style sheet of every ibrep page: replication reports (handed to the nbconvert template
# as `resources.ibrep_css`), the index and the atlas. Verdict colours live only here.
STYLE = """<style type="text/css">
body { max-width: 1100px; margin: 0 auto; padding: 0 1em 3em;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
table.ibrep { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1.5em; }
table.ibrep th, table.ibrep td, .jp-RenderedHTMLCommon table.ibrep td,
.jp-RenderedHTMLCommon table.ibrep th { border: 1px solid #ccc; padding: 4px 8px;
  text-align: left; vertical-align: top; }
table.ibrep th { background: #f2f2f2; }
.v-reproduced { background: #d8f0d8; }
.v-not_reproduced { background: #f6d5d5; }
.v-inconclusive { background: #fbefc6; }
.v-not_run { background: #e6e6e6; color: #555; }
img { max-width: 100%; height: auto; }
/* the statement (first) and notes (last) columns hold sentences: wide enough to read; the notes
   are often empty, so they get less than the statement and leave room to the rule and ours */
table.ibrep td:first-child { min-width: 16em; }
table.ibrep td:last-child { min-width: 12em; }
.ibrep-scroll { overflow-x: auto; max-width: 100%; }
.ibrep-verdict { border-left: 4px solid #4a6fa5; background: #f4f7fb; padding: 0.4em 1em;
  margin: 0.8em 0 1.2em; }
.ibrep-answer { font-size: 1.05em; }
.ibrep-nav { font-size: 0.85em; color: #555; margin: 0.6em 0; }
.ibrep-toc { font-size: 0.9em; background: #fafafa; border: 1px solid #e3e3e3;
  padding: 0.3em 1em; margin: 0.6em 0; }
.ibrep-toc ul { margin: 0.2em 0; columns: 2; list-style: none; padding-left: 0.5em; }
</style>"""


class ReportError(RuntimeError):
    """The report notebook failed; the message names the notebook and the failing cell."""


def reports_dir() -> Path:
    """`$IBREP_REPORTS`, default `./reports`."""
    return Path(os.environ.get("IBREP_REPORTS", "reports")).expanduser().resolve()


def _kernel_manager(spec_dir: Path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kdir = spec_dir / KERNEL_NAME
    kdir.mkdir(parents=True)
    # loopback TCP kernel; --log-level=ERROR hides its routine "unencrypted TCP" warning
    argv = [sys.executable, "-m", "ipykernel_launcher", "--log-level=ERROR", "-f",
            "{connection_file}"]
    (kdir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "ibrep", "language": "python"})
    )
    ksm = KernelSpecManager(kernel_dirs=[str(spec_dir)], ensure_native_kernel=False)
    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=ksm)


def execute_notebook(source: Path, setup: str = "", timeout: int = 1200):
    """Execute a jupytext notebook file after a hidden `setup` cell; returns the notebook."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = jupytext.read(source)
    # A hidden first cell: tqdm's notebook bars need ipywidgets, which reports do not use.
    quiet = ('import warnings\nwarnings.filterwarnings("ignore", message="IProgress not found")\n'
             # figures at twice the pixel density, shown at the same size
             "from matplotlib_inline.backend_inline import set_matplotlib_formats\n"
             'set_matplotlib_formats("retina")')
    nb.cells.insert(0, nbformat.v4.new_code_cell(quiet + "\n" + setup))
    with tempfile.TemporaryDirectory() as spec_dir:
        client = NotebookClient(
            nb, timeout=timeout, km=_kernel_manager(Path(spec_dir)),
            resources={"metadata": {"path": str(source.parent)}},
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as exc:
            raise ReportError(f"{source}: a cell failed:\n{str(exc)[-2500:]}") from None
    describe_figures(nb)
    return nb


def show_figure(fig, alt: str) -> None:
    """Show a matplotlib figure in a report cell with `alt` as its alt text, then close it.

    `alt` should say what the figure shows ("tanh network: I(X;T) rises, then falls after
    epoch ~300 in the last layers"), for a reader who cannot see it. Figures shown any other
    way get a structural alt text from `describe_figures`.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig, metadata={"alt": " ".join(alt.split())})
    plt.close(fig)


def describe_figures(nb) -> None:
    """Give every figure an alt text: its own (from `show_figure`), after the section it belongs
    to and its number there.

    A reader with a screen reader then hears which figure of which section this is and, where
    the replication wrote one, what it shows."""
    section, count = "the report", 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heads = [ln.lstrip("#").strip() for ln in cell.source.splitlines()
                     if ln.startswith("#")]
            if heads:
                section, count = heads[-1], 0
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                count += 1
                meta = output.setdefault("metadata", {})
                where = f"Figure {count} of “{section}”"
                own = meta.get("alt", "")
                meta["alt"] = f"{where}: {own}" if own and not own.startswith("Figure ") else where


def nav_line(index_href: str) -> str:
    """Back link to the index and the render date, shown at the top of every page."""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return (f'<nav class="ibrep-nav"><a href="{html.escape(index_href)}">← all ibrep reports</a>'
            f" · rendered {stamp}</nav>")


def export_html(nb, title: str, index_href: str = "../index.html") -> str:
    """One self-contained HTML page (no input cells, images inline, no external scripts)."""
    from nbconvert import HTMLExporter

    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="ibrep", extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"ibrep_css": STYLE, "ibrep_nav": nav_line(index_href)})
    return drop_dead_links(body)


_GOTO = re.compile(r'<a class="ibrep-goto" href="#([^"]+)">.*?</a>', re.S)


def drop_dead_links(page: str) -> str:
    """Remove the verdict table's "see the figure" links whose target the page never placed.

    The table is drawn before the sections, so it links to every claim's experiment; the
    anchor exists only where a section read that experiment's data (`Results.metrics`)."""
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    return _GOTO.sub(lambda m: m.group(0) if m.group(1) in ids else "", page)


class ReportRefused(ReportError):
    """Rendering would replace a page with one that decides fewer claims (use --force)."""


def render(
    paper: str, profile: str, items: list[Verdict], collected: Collected,
    seeds: tuple[int, ...] | None = None, out_dir: Path | None = None, force: bool = False,
) -> Path:
    """Write `<out>/<profile>/<paper>.json` and `.html` from these verdicts and runs.

    The results file is written first (beside its final place, under a temporary name) so the
    notebook reads it; page and file are renamed into place only when the notebook succeeded.
    A page that would decide fewer claims than the one in place is refused unless `force`.
    """
    rep = registry.get(paper)
    out_dir = (out_dir or reports_dir()) / profile
    source = rep.directory / "report.py"
    if not source.is_file():
        raise ReportError(f"{source}: missing report notebook")
    target = results_file.results_path(rep.name, profile, out_dir.parent)
    page_path = target.with_suffix(".html")
    data = results_file.record(rep.name, profile, items, collected, target, seeds)
    if target.is_file() and not force:
        try:
            before = results_file.decided(results_file.read(target, results_file.SUMMARY))
        except results_file.ResultsFileError:
            before = 0  # an unreadable file is no page worth keeping
        if results_file.decided(data) < before:
            raise ReportRefused(
                f"{page_path}: not replaced — the new page would decide "
                f"{results_file.decided(data)} claim(s), the one in place decides {before} "
                f"({collected.n_missing} run(s) missing from {collected.origin}). Run the "
                f"missing runs (`ibrep run {rep.name} --profile {profile}`) or pass --force.")
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{target.name}.", suffix=".json")
    os.close(fd)
    try:
        Path(tmp).write_text(json.dumps(data, indent=1))
        setup = f"import ibcore.notebook\nibcore.notebook.use_results_file({tmp!r})"
        nb = execute_notebook(source, setup)
        page = export_html(nb, f"ibrep — {rep.config.meta.get('title', paper)} ({profile})")
        write_atomic(page_path, page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    write_index(out_dir.parent)
    return page_path


def _index_rows(out_dir: Path, profile: str) -> list[tuple[str, str]]:
    """(question, table row) for every results file of `profile`; the question comes from the
    replication's `[meta] question`, so the index groups papers by what they answer."""
    rows = []
    for path in sorted((out_dir / profile).glob("*.json")):
        try:
            s = results_file.read(path, results_file.SUMMARY)
        except results_file.ResultsFileError:
            continue
        counts = s["counts"]
        cells = "".join(f'<td class="v-{v}">{counts.get(v, 0)}</td>' for v in VERDICTS)
        checks = s.get("checks") or {}
        n_checks = sum(checks.values())
        passed = f"{checks.get('reproduced', 0)} of {n_checks}" if n_checks else "—"
        try:
            question = registry.get(s["paper"]).config.meta.get("question", "Other papers")
        except registry.UnknownReplication:
            question = "Other papers"
        href = f"{profile}/{path.stem}.html"
        rows.append((question,
            f'<tr><td><a href="{html.escape(href)}">{html.escape(s["paper"])}</a></td>'
            f"<td>{html.escape(s['title'])}<br><small>{html.escape(s.get('citation', ''))}"
            f"</small></td>{cells}<td>{passed}</td>"
            f"<td>{html.escape(str(s.get('generated', '')))}</td></tr>"
        ))
    return rows


# Pages beside the replications that answer a question too (shown under it when present).
SEE_ALSO = {"Does the estimator decide?": [
    ("atlas.html", "the estimator-sensitivity atlas: every compression claim under 17 estimators"),
    ("benchmarks_mi.html", "the estimator page: bias, error and time of each estimator"),
]}


def write_index(out_dir: Path) -> Path:
    """`index.html`: every paper under every profile that has results, plus the other pages."""
    head = "".join(f"<th>{v.replace('_', ' ')}</th>" for v in VERDICTS)
    sections = []
    for profile in sorted(PROFILES, key=lambda p: -PROFILES.index(p)):  # paper, quick, smoke
        rows = _index_rows(out_dir, profile)
        if not rows:
            continue
        tables = []
        for question in dict.fromkeys(q for q, _ in rows):  # first-seen order
            body = "".join(r for q, r in rows if q == question)
            also = "".join(f'<li><a href="{html.escape(name)}">{html.escape(text)}</a></li>'
                           for name, text in SEE_ALSO.get(question, [])
                           if (out_dir / name).is_file())
            tables.append(
                f"<h3>{html.escape(question)}</h3><div class=\"ibrep-scroll\"><table "
                f'class="ibrep"><tr><th>replication</th><th>paper</th>{head}'
                f"<th>checks passed</th><th>generated</th></tr>{body}</table></div>"
                + (f"<p>See also:</p><ul>{also}</ul>" if also else ""))
        sections.append(f"<h2>Profile <code>{profile}</code></h2>" + "".join(tables))
    extras = [p.name for p in sorted(out_dir.glob("*.html")) if p.name != "index.html"]
    extra_html = "".join(
        f'<li><a href="{html.escape(n)}">{html.escape(n)}</a></li>' for n in extras
    )
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>ibrep — reports</title>{STYLE}</head><body>
<h1>ibrep — replication reports</h1>
<p>Each page checks a paper's claims against the published numbers within a stated tolerance.
Verdict counts are of the <b>paper claims</b> (published statements); checks (self-consistency
and construction checks) are counted apart. Papers are grouped by the question they answer.</p>
<p class="ibrep-verdict"><b>Profiles differ in size.</b> <code>paper</code> is the paper's own
scale as far as 2 CPU cores allow; <code>quick</code> is reduced (fewer epochs, seeds and data:
each replication's README says what it shortened), so its verdicts speak of that scale only;
<code>smoke</code> is a seconds-long test of the pipeline.</p>
{''.join(sections) or '<p><em>No results yet.</em></p>'}
{'<h2>Other pages</h2><ul>' + extra_html + '</ul>' if extras else ''}
</body></html>
"""
    target = out_dir / "index.html"
    write_atomic(target, page)
    return target
