"""Render a replication's report: execute its jupytext notebook, export one offline HTML page.

The notebook runs with nbclient in a kernel started from *this* interpreter (a private
kernelspec pointing at `sys.executable`), so no user-level Jupyter setup is needed. The export
uses a template derived from JupyterLab's that fetches nothing from a CDN; images are inline.
Pages are written atomically; `reports/index.html` is rebuilt from the per-paper summaries.
"""

from __future__ import annotations

import html
import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from ibcore import registry
from ibcore.claims import VERDICTS, Verdict
from ibcore.results import verdict_counts

TEMPLATE_DIR = Path(__file__).parent / "report_template"
KERNEL_NAME = "ibrep-python"

# The one style sheet of every ibrep page: replication reports (handed to the nbconvert template
# as `resources.ibrep_css`), the index and the atlas. Verdict colours live only here.
STYLE = """<style type="text/css">
body { max-width: 1100px; margin: 0 auto; padding: 0 1em 3em; }
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
.ibrep-scroll { overflow-x: auto; max-width: 100%; }
.ibrep-verdict { border-left: 4px solid #4a6fa5; background: #f4f7fb; padding: 0.4em 1em;
  margin: 0.8em 0 1.2em; }
.ibrep-answer { font-size: 1.05em; }
</style>"""


class ReportError(RuntimeError):
    """The report notebook failed; the message names the notebook and the failing cell."""


def reports_dir() -> Path:
    """`$IBREP_REPORTS`, default `./reports`."""
    return Path(os.environ.get("IBREP_REPORTS", "reports")).expanduser().resolve()


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _environment(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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


def execute_notebook(source: Path, env: dict[str, str], timeout: int = 1200):
    """Execute a jupytext notebook file; returns the executed nbformat notebook."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = jupytext.read(source)
    # A hidden first cell: tqdm's notebook bars need ipywidgets, which reports do not use.
    quiet = 'import warnings\nwarnings.filterwarnings("ignore", message="IProgress not found")'
    nb.cells.insert(0, nbformat.v4.new_code_cell(quiet))
    with tempfile.TemporaryDirectory() as spec_dir, _environment(**env):
        client = NotebookClient(
            nb, timeout=timeout, km=_kernel_manager(Path(spec_dir)),
            resources={"metadata": {"path": str(source.parent)}},
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as exc:
            raise ReportError(f"{source}: a cell failed:\n{str(exc)[-2500:]}") from None
    return nb


def export_html(nb, title: str) -> str:
    """One self-contained HTML page (no input cells, images inline, no external scripts)."""
    from nbconvert import HTMLExporter

    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="ibrep", extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"ibrep_css": STYLE})
    return body


def summary(paper: str, profile: str, items: list[Verdict]) -> dict:
    """Headline counts: `counts` are of the paper's published claims; `checks` apart."""
    rep = registry.get(paper)
    return {
        "paper": paper, "title": rep.config.meta.get("title", paper),
        "citation": f"{rep.config.meta.get('authors', '')} ({rep.config.meta.get('venue', '')})",
        "profile": profile, "counts": verdict_counts(items, "paper"),
        "checks": verdict_counts(items, "check"),
        "mismatches": [v.claim.id for v in items if not v.as_expected],
        "generated": time.strftime("%Y-%m-%d %H:%M"),
    }


def render(
    paper: str, profile: str, items: list[Verdict], seeds: tuple[int, ...] | None = None,
    out_dir: Path | None = None,
) -> Path:
    """Execute and export `paper`'s report; write `<out>/<paper>.html` and its summary JSON."""
    rep = registry.get(paper)
    out_dir = out_dir or reports_dir()
    source = rep.directory / "report.py"
    if not source.is_file():
        raise ReportError(f"{source}: missing report notebook")
    env = {"IBREP_PROFILE": profile, "IBREP_HOME": str(Path(os.environ.get(
        "IBREP_HOME", "runs")).resolve())}
    if seeds is not None:
        env["IBREP_SEEDS"] = json.dumps(list(seeds))
    nb = execute_notebook(source, env)
    page = export_html(nb, f"ibrep — {rep.config.meta.get('title', paper)} ({profile})")
    target = out_dir / f"{paper}.html"
    write_atomic(out_dir / f"{paper}.json", json.dumps(summary(paper, profile, items), indent=1))
    write_atomic(target, page)
    write_index(out_dir)
    return target


def write_index(out_dir: Path) -> Path:
    """`index.html`: every rendered replication with its verdict counts, plus other pages."""
    rows = []
    for path in sorted(out_dir.glob("*.json")):
        try:
            s = json.loads(path.read_text())
            counts = s["counts"]
        except (ValueError, KeyError):
            continue
        cells = "".join(f'<td class="v-{v}">{counts.get(v, 0)}</td>' for v in VERDICTS)
        rows.append(
            f'<tr><td><a href="{html.escape(s["paper"])}.html">{html.escape(s["paper"])}</a></td>'
            f"<td>{html.escape(s['title'])}<br><small>{html.escape(s['citation'])}</small></td>"
            f"<td>{html.escape(s['profile'])}</td>{cells}<td>{html.escape(s['generated'])}</td></tr>"
        )
    extras = [p.name for p in sorted(out_dir.glob("*.html"))
              if p.stem not in {r.stem for r in out_dir.glob('*.json')} and p.name != "index.html"]
    extra_html = "".join(
        f'<li><a href="{html.escape(n)}">{html.escape(n)}</a></li>' for n in extras
    )
    head = "".join(f"<th>{v.replace('_', ' ')}</th>" for v in VERDICTS)
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>ibrep — reports</title>{STYLE}</head><body>
<h1>ibrep — replication reports</h1>
<p>Each page checks a paper's claims against the published numbers within a stated tolerance.
Verdict counts per replication (the profile each page was rendered with):</p>
<table class="ibrep"><tr><th>replication</th><th>paper</th><th>profile</th>{head}
<th>generated</th></tr>{''.join(rows)}</table>
{'<h2>Other pages</h2><ul>' + extra_html + '</ul>' if extras else ''}
</body></html>
"""
    target = out_dir / "index.html"
    write_atomic(target, page)
    return target
