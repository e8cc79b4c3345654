"""`reports/atlas.html`: heatmap of claims × estimator settings, planes, measured conclusions.

One self-contained page (inline CSS, figures as base64 PNG, nothing fetched). The conclusions
are generated from the cells: which claims hold under every setting, which flip, and between
which two values of a family's scale parameter the verdict changes.
"""

from __future__ import annotations

import base64
import html
import io
import time
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ibcore.notebook import html_table  # noqa: E402
from ibcore.report import STYLE, nav_line, reports_dir, write_atomic, write_index  # noqa: E402
from replications.atlas.grid import GRID, HSIC_SAMPLES, KDE_SAMPLES, KSG_NOISE_STD  # noqa: E402
from replications.atlas.verdicts import CLAIMS, Cell  # noqa: E402

if TYPE_CHECKING:
    from replications.atlas.build import AtlasResult

MARK = {"reproduced": "✓", "not_reproduced": "✗", "inconclusive": "?", "not_run": "–"}

# Atlas-only additions on top of the shared STYLE (which carries the verdict colours).
CSS = STYLE + """<style>
body{font-family:system-ui,sans-serif;max-width:1200px;line-height:1.45;color:#222}
table.atlas{border-collapse:collapse;font-size:.85em;margin:.6em 0}
table.atlas td,table.atlas th{border:1px solid #bbb;padding:3px 6px;text-align:center}
table.atlas td.claim{text-align:left;max-width:260px}
small{color:#555}code{background:#f3f3f3;padding:0 3px}
</style>"""


def _fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if abs(x) < 0.1 else f"{x:.2f}"


def _value(setting) -> str:
    v = setting.value
    return f"{v:g}" if isinstance(v, float) else str(v)


def heatmap(cells: list[Cell]) -> str:
    """Claims × settings table; colour = verdict, text = effect size (mean over seeds)."""
    families: list[tuple[str, int]] = []
    for s in GRID:
        if families and families[-1][0] == s.family:
            families[-1] = (s.family, families[-1][1] + 1)
        else:
            families.append((s.family, 1))
    top = "".join(f'<th colspan="{n}">{html.escape(f)}</th>' for f, n in families)
    sub = "".join(f"<th>{html.escape(s.scale)}={html.escape(_value(s))}</th>" for s in GRID)
    rows = []
    for claim in CLAIMS:
        tds = []
        for s in GRID:
            c = next(c for c in cells if c.claim is claim and c.setting is s)
            tip = (f"{c.verdict}; rule {c.rule} of {c.rule_claim}; pass {c.pass_interval}; "
                   f"CI {c.ci}; n = {len(c.values)} {c.note}")
            tds.append(f'<td class="v-{c.verdict}" title="{html.escape(tip)}">'
                       f"{MARK[c.verdict]} {_fmt(c.mean)}</td>")
        rows.append(f'<tr><td class="claim">{html.escape(claim.title)}</td>{"".join(tds)}</tr>')
    # a wide grid scrolls inside its own box, so the page never outgrows a 1,280 px window
    return (f'<div class="ibrep-scroll"><table class="atlas"><tr><th rowspan="2">claim</th>'
            f'{top}</tr><tr>{sub}</tr>' + "".join(rows) + "</table></div>")


def _family_story(mine: list[Cell], family: tuple[str, str]) -> str | None:
    fam = [c for c in mine if (c.setting.family, c.setting.scale) == family]
    if not fam:
        return None
    seq = " · ".join(f"{_value(c.setting)} {MARK[c.verdict]} ({_fmt(c.mean)})" for c in fam)
    flips = [f"between {a.setting.scale}={_value(a.setting)} and {_value(b.setting)}"
             for a, b in zip(fam, fam[1:]) if a.verdict != b.verdict]
    text = f"{family[0]} {family[1]}: {seq}"
    return text + (f" — flips {', '.join(flips)}" if flips else "")


def conclusions(cells: list[Cell]) -> list[str]:
    """One measured sentence (plus per-family detail when the verdict flips) per claim."""
    out = []
    for claim in CLAIMS:
        mine = [c for c in cells if c.claim is claim and c.verdict != "not_run"]
        title = html.escape(claim.title)
        if not mine:
            out.append(f"<b>{title}</b>: not evaluated — no stored {claim.paper}/"
                       f"{claim.experiment} runs under this profile.")
            continue
        bits = [c.mean for c in mine if c.setting.units == "bits" and c.mean is not None]
        span = f" (statistic {min(bits):.2f} to {max(bits):.2f} bits)" if bits else ""
        counts = {v: sum(c.verdict == v for c in mine) for v in MARK}
        verdicts = {c.verdict for c in mine}
        if verdicts == {"reproduced"}:
            out.append(f"<b>{title}</b>: holds under every one of the {len(mine)} settings"
                       f"{span}.")
            continue
        if verdicts == {"not_reproduced"}:
            out.append(f"<b>{title}</b>: fails under every one of the {len(mine)} settings"
                       f"{span}.")
            continue
        groups = dict.fromkeys((c.setting.family, c.setting.scale) for c in mine)
        stories = [s for f in groups
                   if (s := _family_story(mine, f))]
        out.append(
            f"<b>{title}</b>: reproduced under {counts['reproduced']}, not reproduced under "
            f"{counts['not_reproduced']}, inconclusive under {counts['inconclusive']} of "
            f"{len(mine)} settings{span}. By family (✓ reproduced, ✗ not, ? inconclusive; "
            "statistic in brackets):<ul>"
            + "".join(f"<li>{html.escape(s)}</li>" for s in stories) + "</ul>")
    return out


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def plane_figure(plane: dict) -> str:
    """Information planes of one run under two settings, side by side (base64 PNG)."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    epochs = plane["epochs"]
    for ax, panel in zip(axes, plane["panels"]):
        for layer, (ixt, ity) in enumerate(zip(panel["ixt"], panel["ity"])):
            ax.plot(ixt, ity, color="0.75", lw=0.8, zorder=1)
            sc = ax.scatter(ixt, ity, c=range(len(epochs)), cmap="viridis", s=18, zorder=2)
            ax.annotate(f"L{layer + 1}", (ixt[-1], ity[-1]), fontsize=8,
                        xytext=(3, 3), textcoords="offset points")
        unit = "normalised HSIC" if panel["setting"].units == "hsic" else "bits"
        ax.set_xlabel(f"I(X;T) [{unit}]")
        ax.set_ylabel(f"I(T;Y) [{unit}]")
        ax.set_title(f"{panel['setting'].label}: {panel['verdict'].replace('_', ' ')}")
    cbar = fig.colorbar(sc, ax=axes, shrink=0.85)
    ticks = list(range(0, len(epochs), max(1, len(epochs) // 6)))
    cbar.set_ticks(ticks)
    cbar.set_ticklabels([f"{epochs[i]:g}" for i in ticks])
    cbar.set_label("epoch")
    return _png(fig)


def detail_rows(cells: list[Cell]) -> list[dict]:
    rows = []
    for c in cells:
        rows.append({
            "claim": c.claim.id, "setting": c.setting.label, "rule (from)": c.rule_claim,
            "pass": "" if c.pass_interval is None else
            f"[{_fmt(c.pass_interval[0])}, {_fmt(c.pass_interval[1])}]",
            "per seed": ", ".join(_fmt(v) for v in c.values),
            "mean [95% CI]": "–" if c.ci is None else
            f"{_fmt(c.mean)} [{_fmt(c.ci[0])}, {_fmt(c.ci[1])}]",
            "verdict": c.verdict,
        })
    return rows


def render(result: AtlasResult) -> str:
    """The whole page as a string."""
    runs = "".join(
        f"<li><code>{html.escape(p)}/{html.escape(e)}</code>: {len(specs)} seed(s) "
        f"{[s.seed for s in specs]}</li>" for (p, e), specs in result.runs.items())
    sizes = [s for s in result.stored_bytes.values()]
    size_txt = (f"{min(sizes) / 1e6:.2f}–{max(sizes) / 1e6:.2f} MB per run (compressed npz)"
                if sizes else "no runs")
    plane = ""
    if result.plane:
        p = result.plane
        names = " and ".join(html.escape(x["setting"].label) for x in p["panels"])
        plane = (f"<h2>One run, two settings</h2><p>{html.escape(p['spec'].label)} — the claim "
                 f"<i>{html.escape(p['claim'].title)}</i> under {names}. Each curve is one hidden "
                 "layer (L1 nearest the input), colour = logged epoch.</p>"
                 f'<img alt="information planes" src="data:image/png;base64,'
                 f'{plane_figure(p)}">')
    t = result.timings
    concl = "".join(f"<li>{c}</li>" for c in conclusions(result.cells))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>ibrep — estimator-sensitivity atlas ({html.escape(result.profile)})</title>{CSS}</head>
<body>{nav_line("index.html")}<h1>Estimator-sensitivity atlas</h1>
<p>Does each information-plane compression claim survive every estimator and scale parameter?
I(X;T) of every hidden layer is re-estimated from the activations the replications stored
(no retraining) under {len(GRID)} estimator settings; each cell applies the replication's own
claim rule and margin (from its <code>claims.toml</code>). Profile <code>{
html.escape(result.profile)}</code>, generated {time.strftime('%Y-%m-%d %H:%M')}.</p>
<h2>Conclusions (measured)</h2><ul>{concl}</ul>
<h2>Heatmap</h2>
<p>Colour = verdict (<span class="v-reproduced">✓ reproduced</span>,
<span class="v-not_reproduced">✗ not reproduced</span>,
<span class="v-inconclusive">? inconclusive: the CI over seeds straddles the margin</span>,
<span class="v-not_run">– not run</span>); number = the claim's statistic, mean over seeds:
drop from the peak for “compresses”, largest fall for “does not compress” and for the depth
claim (bits; normalised-HSIC units for HSIC). Hover a cell for rule, pass interval and CI.</p>
{heatmap(result.cells)}
{plane}
<h2>How the numbers were made</h2><ul>
<li>Runs: <ul>{runs}</ul> stored activations {size_txt} (float16).</li>
<li>Epochs: every logged epoch of the 12-bit-task runs; the epoch-end snapshots of the MNIST
runs. Inputs: all for binning, adaptive binning, KSG and EDGE; KDE on {KDE_SAMPLES} inputs at
most (a saxe2018 run's own KDE subset, so σ² = 0.1 is the replication's own number); HSIC on a
seeded subsample of {HSIC_SAMPLES} inputs. The MNIST runs store only the three 20-unit layers
on their first n_store probe images, so their claims read layers 2–4.</li>
<li>Binning: equal bins on a fixed range per layer — (−1, 1) for tanh, the layer's min–max
over all logged epochs for ReLU (Saxe et al. App. A); bin sizes are unbounded. Adaptive:
equal-mass bins on the quantiles of the layer's values at each epoch (Chelombiev et al.,
ICLR 2019). KDE: Kolchinsky–Tracey upper bound. KSG: Kozachenko–Leonenko entropy (k
neighbours) of the layer plus one seeded draw of N(0, {KSG_NOISE_STD}²) noise, minus the
noise entropy (Goldfeld et al., ICML 2019). EDGE: Noshad et al.'s hash and Gupta's XOR hash.
HSIC: normalised HSIC(X, T), bandwidth = multiple of the median heuristic; its margins are the
claim's bits divided by log2(n).</li>
<li>Stored activations are float16, so a re-estimate can differ slightly from the value a run
computed from float32 activations during training.</li>
<li>Wall time: runs {t.get('runs', 0):.0f} s, re-estimation {t.get('estimates', 0):.0f} s
({result.computed} computed, {result.reused} cached (run, setting) entries), verdicts and
planes {t.get('verdicts_and_planes', 0):.0f} s.</li></ul>
<details><summary>Every cell</summary>
{html_table(detail_rows(result.cells), css_for={"verdict": "v-"})}</details>
</body></html>
"""


def write_page(result: AtlasResult, out_dir: Path | None = None) -> Path:
    """Write `<reports>/atlas.html` atomically and refresh the reports index."""
    out = out_dir or reports_dir()
    target = out / "atlas.html"
    write_atomic(target, render(result))
    write_index(out)
    return target
