"""Accuracy and speed of the ibcore.mi estimators: the page a reader uses to choose one.

    .venv/bin/python benchmarks/bench_mi.py            # full grid (~10 min on 2 idle cores)
    .venv/bin/python benchmarks/bench_mi.py --quick    # a smaller grid, for trying changes
    .venv/bin/python benchmarks/bench_mi.py --from-csv # re-render the page from the CSVs

Accuracy: every estimator on every task of :data:`TASKS`, each with closed-form MI
(correlated Gaussians; Student-t pairs, sparse interactions and smooth invertible
transforms of Gaussian pairs in the spirit of Czyz et al., NeurIPS 2023, "Beyond Normal"),
over ``SEEDS`` seeds and a grid of N; bias = mean(estimate - truth), RMSE over seeds. The
KDE bounds are benchmarked apart on linear-Gaussian channels (their own setting).
Speed: wall and CPU seconds vs N for each estimator at the shapes information-plane work
needs, with the load average recorded beside every timing; the KSG comparison with the
reference algorithm is benchmarks/bench_ksg.py (its CSV is shown here when present).

"Which estimator when" is generated from the numbers with rules fixed in advance
(:data:`BREAKS`): an estimator *breaks* on a task when |bias| at the largest N exceeds
max(0.1 bits, 10 % of the truth).

Writes benchmarks/results/mi_accuracy_raw.csv (one row per estimate), mi_accuracy.csv
(summary), mi_speed.csv and reports/benchmarks_mi.html (self-contained, shared style).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ibcore.mi as mi  # noqa: E402
from ibcore.mi import gaussian, synthetic  # noqa: E402
from ibcore.notebook import html_table  # noqa: E402
from ibcore.report import STYLE, write_atomic  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REPORT = ROOT / "reports" / "benchmarks_mi.html"
SEEDS = 5
#: N of the summary table (every task and estimator has it in both grids)
N_FIXED = 10_000
#: an estimator breaks on a task when |bias| > max(BREAKS_ABS, BREAKS_REL * truth) bits
BREAKS_ABS, BREAKS_REL = 0.1, 0.1

Task = Callable[[int, int], tuple[np.ndarray, np.ndarray, float]]

#: task -> (description, sampler(n, seed) -> (x, y, I in bits))
TASKS: dict[str, tuple[str, Task]] = {
    "gauss 1+1": ("Gaussian pair, rho 0.75",
                  lambda n, s: synthetic.correlated_gaussians(n, 1, 0.75, s)),
    "independent 2+2": ("independent Gaussians (truth 0)",
                        lambda n, s: synthetic.correlated_gaussians(n, 2, 0.0, s)),
    "gauss 2+2": ("2 Gaussian pairs, rho 0.75",
                  lambda n, s: synthetic.correlated_gaussians(n, 2, 0.75, s)),
    "gauss 5+5": ("5 Gaussian pairs, rho 0.75",
                  lambda n, s: synthetic.correlated_gaussians(n, 5, 0.75, s)),
    "gauss 1+1 strong": ("Gaussian pair, rho 0.99",
                         lambda n, s: synthetic.correlated_gaussians(n, 1, 0.99, s)),
    "student-t 1+1 nu=1": ("bivariate t (Cauchy tails), rho 0: dependence through the scale",
                           lambda n, s: synthetic.student_t_pair(n, 1, 1.0, 0.0, s)),
    "student-t 2+2 nu=2": ("multivariate t, nu 2, rho 0.5",
                           lambda n, s: synthetic.student_t_pair(n, 2, 2.0, 0.5, s)),
    "sparse 5+5": ("5+5 coordinates, 1 pair correlated (rho 0.9), 4 independent",
                   lambda n, s: synthetic.sparse_gaussians(n, 5, 1, 0.9, s)),
    "halfcube 2+2": ("gauss 2+2 through x|x|^(1/2) per coordinate",
                     lambda n, s: synthetic.transformed_gaussians(n, 2, 0.75, "halfcube", s)),
    "exp 1+1": ("gauss 1+1 through exp (log-normal marginals)",
                lambda n, s: synthetic.transformed_gaussians(n, 1, 0.75, "exp", s)),
}

#: estimator -> (method, params)
ESTIMATORS: dict[str, tuple[str, dict]] = {
    "gaussian": ("gaussian", {}),
    "ksg k=3": ("ksg", {"k": 3}),
    "ksg k=10": ("ksg", {"k": 10}),
    "edge": ("edge", {}),
    "edge xor": ("edge", {"hash": "xor"}),
    "binning 30": ("binning", {"n_bins": 30}),
}


def loadavg() -> float:
    return float(os.getloadavg()[0])


def accuracy(ns: list[int], seeds: int) -> pd.DataFrame:
    """One row per (task, estimator, N, seed): estimate, truth, wall and CPU seconds, load."""
    rows = []
    for task, (_, sample) in TASKS.items():
        for n in ns:
            for seed in range(seeds):
                x, y, true = sample(n, seed)
                for name, (method, params) in ESTIMATORS.items():
                    extra = {"random_state": seed} if method in ("edge", "ksg") else {}
                    wall, cpu = time.perf_counter(), time.process_time()
                    est = mi.estimate(x, y, method=method, **params, **extra)
                    rows.append({
                        "task": task, "estimator": name, "n": n, "seed": seed,
                        "true_bits": true, "estimate_bits": est, "error_bits": est - true,
                        "seconds": time.perf_counter() - wall,
                        "cpu_seconds": time.process_time() - cpu, "load": loadavg(),
                    })
        print(f"accuracy {task} done (load {loadavg():.1f})", flush=True)
    return pd.DataFrame(rows)


def accuracy_kde(ns: list[int], dims: list[int], seeds: int, noise_var: float = 0.5) -> list:
    """KDE upper/lower bounds of I(T;X) on T = W X + N(0, s2 I) (Saxe et al. App. B)."""
    rows = []
    for n in ns:
        for dim in dims:
            for seed in range(seeds):
                rng = np.random.default_rng(1000 + seed)
                w = rng.standard_normal((dim, dim)) / np.sqrt(dim)
                true = gaussian.linear_channel_mi(w, noise_var)
                h = rng.standard_normal((n, dim)) @ w.T
                for bound in ("upper", "lower"):
                    est = mi.ixt(h, "kde", noise_var=noise_var, bound=bound)
                    rows.append({"task": f"linear channel {dim}-D", "estimator": f"kde {bound}",
                                 "n": n, "seed": seed, "true_bits": true,
                                 "estimate_bits": est, "error_bits": est - true})
    return rows


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """Bias, RMSE, sd over seeds and median seconds per (task, estimator, N)."""
    grp = raw.groupby(["task", "estimator", "n"], sort=False)
    out = grp.agg(
        true_bits=("true_bits", "mean"), bias_bits=("error_bits", "mean"),
        rmse_bits=("error_bits", lambda e: float(np.sqrt(np.mean(np.square(e))))),
        sd_bits=("error_bits", "std"), seeds=("seed", "count"),
    ).reset_index()
    if "seconds" in raw:
        out["median_seconds"] = grp["seconds"].median().to_numpy()
    return out


def timed(fn: Callable[..., object], *args: object, repeat: int = 3, **kw: object) -> dict:
    """Best wall time of ``repeat`` calls, its CPU time, and the load average before it."""
    load, best, best_cpu = loadavg(), np.inf, np.nan
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn(*args, **kw)
        secs = time.perf_counter() - wall
        if secs < best:
            best, best_cpu = secs, time.process_time() - cpu
    return {"seconds": best, "cpu_seconds": best_cpu, "load": load}


def speed(quick: bool) -> pd.DataFrame:
    """Seconds vs N at information-plane shapes; one row per (estimator, shape, N)."""
    rows = []

    def add(est: str, shape: str, n: int, timing: dict) -> None:
        rows.append({"estimator": est, "shape": shape, "n": n, **timing})
        print(f"speed {est} {shape} n={n}: {timing['seconds']:.3f}s "
              f"(load {timing['load']:.1f})", flush=True)

    big = [] if quick else [1_000_000]
    for n in [10_000, 100_000] + big:
        x, y, _ = synthetic.correlated_gaussians(n, 10, 0.5, random_state=0)
        add("edge", "10+10-D", n, timed(mi.estimate, x, y, method="edge", repeat=1))
    for n in [1_000, 10_000, 100_000]:
        x, y, _ = synthetic.correlated_gaussians(n, 1, 0.5, random_state=0)
        add("ksg k=3", "1+1-D", n, timed(mi.estimate, x, y, method="ksg"))
    for n in [3_000, 10_000, 30_000]:
        x, y, _ = synthetic.correlated_gaussians(n, 2, 0.5, random_state=0)
        add("ksg k=3", "2+2-D", n, timed(mi.estimate, x, y, method="ksg"))
    for n in [1_000, 3_000, 10_000]:
        t = np.tanh(np.random.default_rng(0).standard_normal((n, 1024)))
        add("binning 30", "I(X;T), T 1024-D", n,
            timed(mi.ixt, t, "binning", n_bins=30, value_range=(-1.0, 1.0)))
        add("edge", "I(X;T), T 1024-D", n, timed(mi.ixt, t, "edge", repeat=1))
    for n in [1_000, 2_000, 4_000] + ([] if quick else [10_000]):
        h = np.random.default_rng(0).standard_normal((n, 1024))
        add("kde upper", "I(X;T), T 1024-D", n, timed(mi.ixt, h, "kde", noise_var=1.0, repeat=1))
    for n in [1_000, 4_000]:
        x, y, _ = synthetic.correlated_gaussians(n, 2, 0.5, random_state=0)
        add("hsic exact", "2+2-D", n, timed(mi.dependence, x, y))
        add("hsic rff 500", "2+2-D", n, timed(mi.dependence, x, y, n_features=500))
    return pd.DataFrame(rows)


def slopes(speed_df: pd.DataFrame) -> pd.DataFrame:
    """Least-squares slope of log(time) vs log(N) per (estimator, shape)."""
    out = []
    for (est, shape), g in speed_df.groupby(["estimator", "shape"], sort=False):
        if len(g) >= 2:
            slope = np.polyfit(np.log(g["n"]), np.log(g["seconds"]), 1)[0]
            out.append({"estimator": est, "shape": shape, "N": f"{g['n'].min()}–{g['n'].max()}",
                        "log-log slope": f"{slope:.2f}"})
    return pd.DataFrame(out)


# ---------------------------------------------------------------- conclusions from numbers

def breaks(row: pd.Series) -> bool:
    """The rule fixed before the run: |bias| > max(0.1 bits, 10 % of the truth)."""
    return abs(row["bias_bits"]) > max(BREAKS_ABS, BREAKS_REL * abs(row["true_bits"]))


def verdicts(summary: pd.DataFrame) -> pd.DataFrame:
    """Per (task, estimator): bias and RMSE at the largest N, and whether it breaks there."""
    last = summary[summary["n"] == summary.groupby("task")["n"].transform("max")].copy()
    last["breaks"] = last.apply(breaks, axis=1)
    return last


def conclusions(summary: pd.DataFrame) -> list[str]:
    """'Which estimator when', generated: best per task, and where each estimator breaks."""
    v = verdicts(summary)
    n_max = int(v["n"].max())
    lines = []
    for est in ESTIMATORS:
        e = v[v["estimator"] == est]
        bad = e[e["breaks"]]
        good = e[~e["breaks"]]
        text = f"<b>{html.escape(est)}</b>: within tolerance on {len(good)}/{len(e)} tasks"
        if len(bad):
            worst = ", ".join(f"{html.escape(r.task)} ({r.bias_bits:+.2f})"
                              for r in bad.sort_values("bias_bits", key=abs).itertuples())
            text += f"; breaks on {worst}"
        lines.append(text + ".")
    best = []
    for task in TASKS:
        t = v[v["task"] == task].sort_values("rmse_bits")
        r = t.iloc[0]
        best.append(f"{html.escape(task)}: <b>{html.escape(r.estimator)}</b> "
                    f"(RMSE {r.rmse_bits:.3f})")
    lines.append(f"Lowest RMSE at N = {n_max:,} — " + "; ".join(best) + ".")
    return lines


# ---------------------------------------------------------------- page

def png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=85, bbox_inches="tight")
    plt.close(fig)
    return '<img style="max-width:100%" src="data:image/png;base64,' + \
        base64.b64encode(buf.getvalue()).decode() + '">'


def fmt(v: float, digits: int = 3) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{v:+.{digits}f}"


def summary_rows(summary: pd.DataFrame) -> list[dict]:
    """Task × estimator at N_FIXED: 'bias / RMSE'; a breaking cell is starred."""
    s = summary[summary["n"] == N_FIXED]
    rows = []
    for task, (desc, _) in TASKS.items():
        t = s[s["task"] == task]
        if t.empty:
            continue
        row = {"task": task, "what": desc, "true MI": f"{t['true_bits'].iloc[0]:.3f}"}
        for est in ESTIMATORS:
            r = t[t["estimator"] == est]
            if r.empty:
                row[est] = "–"
                continue
            r = r.iloc[0]
            star = " ✗" if breaks(r) else ""
            row[est] = f"{fmt(r.bias_bits)} / {r.rmse_bits:.3f}{star}"
        rows.append(row)
    return rows


def time_rows(summary: pd.DataFrame) -> list[dict]:
    s = summary[summary["n"] == N_FIXED]
    rows = []
    for task in TASKS:
        t = s[s["task"] == task]
        if t.empty or "median_seconds" not in t:
            continue
        row = {"task": task}
        for est in ESTIMATORS:
            r = t[t["estimator"] == est]
            row[est] = "–" if r.empty else f"{1e3 * r['median_seconds'].iloc[0]:.2g}"
        rows.append(row)
    return rows


def plots(summary: pd.DataFrame, kde_summary: pd.DataFrame, speed_df: pd.DataFrame) -> dict:
    sns.set_theme(style="whitegrid")
    out = {}
    for col, title, logy in (("bias_bits", "bias (bits) vs N", False),
                             ("rmse_bits", "RMSE (bits) vs N", True)):
        g = sns.relplot(data=summary, x="n", y=col, hue="estimator", style="estimator",
                        col="task", col_wrap=5, kind="line", marker="o", height=2.3,
                        aspect=1.1, facet_kws={"sharey": False})
        g.set(xscale="log", yscale="log" if logy else "linear")
        g.set_titles("{col_name}")
        if not logy:
            for ax in g.axes.flat:
                ax.axhline(0.0, color="k", lw=0.8)
        g.figure.suptitle(title, y=1.02)
        out[col] = png(g.figure)
    if not kde_summary.empty:
        g = sns.relplot(data=kde_summary, x="n", y="bias_bits", hue="estimator", col="task",
                        kind="line", marker="o", height=2.5, aspect=1.2,
                        facet_kws={"sharey": False})
        g.set(xscale="log")
        for ax in g.axes.flat:
            ax.axhline(0.0, color="k", lw=0.8)
        g.figure.suptitle("KDE bounds minus the exact I(T;X), linear-Gaussian channel", y=1.05)
        out["kde"] = png(g.figure)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    sp = speed_df.assign(label=speed_df["estimator"] + ", " + speed_df["shape"])
    sns.lineplot(data=sp, x="n", y="seconds", hue="label", marker="o", ax=ax)
    ax.set(xscale="log", yscale="log", title="wall time vs N (best of repeats)")
    ax.legend(fontsize=7)
    out["speed"] = png(fig)
    return out


def write_page(raw: pd.DataFrame, summary: pd.DataFrame, kde_summary: pd.DataFrame,
               speed_df: pd.DataFrame, ksg_ref: pd.DataFrame | None, meta: dict) -> None:
    img = plots(summary, kde_summary, speed_df)
    load = raw["load"] if "load" in raw else pd.Series(dtype=float)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Choosing an MI estimator"
        f"</title>{STYLE}<style>body{{font-family:system-ui,sans-serif;line-height:1.45}}"
        "</style></head><body>",
        "<h1>Choosing a mutual-information estimator (<code>ibcore.mi</code>)</h1>",
        "<p>Every number below is measured by <code>benchmarks/bench_mi.py</code> against "
        "closed-form MI. Raw data: <a href='../benchmarks/results/mi_accuracy_raw.csv'>"
        "one row per estimate</a>, <a href='../benchmarks/results/mi_accuracy.csv'>summary"
        "</a>, <a href='../benchmarks/results/mi_speed.csv'>timings</a>, "
        "<a href='../benchmarks/results/ksg_vs_reference.csv'>KSG vs reference</a>.</p>",
        "<p><small>" + html.escape("; ".join(f"{k}: {v}" for k, v in meta.items()))
        + (f"; load average during the accuracy runs {load.min():.1f}–{load.max():.1f}"
           if len(load) else "") + "</small></p>",
        "<h2>Which estimator when</h2><p>Generated from the table below with a rule fixed "
        f"before the run: an estimator <em>breaks</em> on a task (✗) when its |bias| at the "
        f"largest N exceeds max({BREAKS_ABS} bits, {BREAKS_REL:.0%} of the truth).</p><ul>",
        *[f"<li>{line}</li>" for line in conclusions(summary)],
        "</ul>",
        f"<h2>Summary at N = {N_FIXED:,}: bias / RMSE (bits) over {SEEDS} seeds</h2>",
        "<p>✗: the same rule applied at this N.</p>",
        html_table(summary_rows(summary)),
        f"<h3>Median time per estimate at N = {N_FIXED:,} (ms; load average as above)</h3>",
        html_table(time_rows(summary)),
        "<h2>Error against N</h2>", img["bias_bits"], img["rmse_bits"],
    ]
    if "kde" in img:
        parts += ["<h2>KDE bounds (Kolchinsky–Tracey) on linear-Gaussian channels</h2>",
                  "<p>The bounds of the noisy-layer I(T;X) of Saxe et al. (noise variance "
                  "0.5); the gap between them is the bound, not sampling noise.</p>",
                  img["kde"]]
    parts += ["<h2>Time against N</h2>", img["speed"],
              html_table(slopes(speed_df).to_dict("records")),
              html_table([{**r, "seconds": f"{r['seconds']:.3f}",
                           "cpu_seconds": f"{r['cpu_seconds']:.3f}", "load": f"{r['load']:.1f}"}
                          for r in speed_df.to_dict("records")])]
    if ksg_ref is not None:
        cols = {"n": "N", "dim_x": "dim x", "dim_y": "dim y", "k": "k",
                "ours_s": "ours (s)", "reference_s": "reference (s)",
                "ratio_ours_over_reference": "ratio", "abs_diff_bits": "|Δ| bits",
                "load_before": "load"}
        parts += ["<h3>KSG against the reference algorithm (NPEET's, re-implemented; "
                  "<code>benchmarks/bench_ksg.py</code>)</h3>",
                  html_table([{v: (f"{r[k]:.3g}" if isinstance(r[k], float) else r[k])
                               for k, v in cols.items()} for r in ksg_ref.to_dict("records")])]
    parts.append("</body></html>")
    write_atomic(REPORT, "\n".join(parts))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small grid, no 1e6 runs")
    ap.add_argument("--from-csv", action="store_true", help="re-render the page from the CSVs")
    ap.add_argument("--speed-only", action="store_true",
                    help="re-take the timings only (e.g. on an idle machine), keep the accuracy")
    args = ap.parse_args(argv)
    ksg_path = RESULTS / "ksg_vs_reference.csv"
    meta_path = RESULTS / "mi_meta.csv"
    if args.from_csv or args.speed_only:
        raw = pd.read_csv(RESULTS / "mi_accuracy_raw.csv")
        kde_summary = summarise(pd.read_csv(RESULTS / "mi_kde_raw.csv"))
        speed_df = pd.read_csv(RESULTS / "mi_speed.csv")
        meta = dict(pd.read_csv(meta_path).itertuples(index=False))
        if args.speed_only:
            load0 = loadavg()
            speed_df = speed(False)
            speed_df.to_csv(RESULTS / "mi_speed.csv", index=False, float_format="%.6g")
            meta["timings re-taken"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            meta["load average during the timings"] = f"{load0:.1f}–{loadavg():.1f}"
            pd.DataFrame(list(meta.items()), columns=["key", "value"]).to_csv(meta_path,
                                                                                index=False)
    else:
        start, load0 = time.perf_counter(), loadavg()
        ns = [1_000, 10_000] if args.quick else [1_000, 3_000, 10_000, 30_000]
        raw = accuracy(ns, 2 if args.quick else SEEDS)
        kde_raw = pd.DataFrame(accuracy_kde([500, 2_000, 8_000], [1, 2, 5], 3))
        kde_summary = summarise(kde_raw)
        speed_df = speed(args.quick)
        meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "python": platform.python_version(), "numpy": np.__version__,
                "cpus": os.cpu_count(), "load average at start": f"{load0:.1f}",
                "load average at end": f"{loadavg():.1f}",
                "total wall time": f"{time.perf_counter() - start:.0f} s"}
        RESULTS.mkdir(parents=True, exist_ok=True)
        raw.to_csv(RESULTS / "mi_accuracy_raw.csv", index=False, float_format="%.6g")
        kde_raw.to_csv(RESULTS / "mi_kde_raw.csv", index=False, float_format="%.6g")
        speed_df.to_csv(RESULTS / "mi_speed.csv", index=False, float_format="%.6g")
        pd.DataFrame(list(meta.items()), columns=["key", "value"]).to_csv(meta_path, index=False)
    summary = summarise(raw)
    summary.to_csv(RESULTS / "mi_accuracy.csv", index=False, float_format="%.6g")
    ksg_ref = pd.read_csv(ksg_path) if ksg_path.exists() else None
    write_page(raw, summary, kde_summary, speed_df, ksg_ref, meta)
    for line in conclusions(summary):
        print(line.replace("<b>", "").replace("</b>", ""))


if __name__ == "__main__":
    main()
