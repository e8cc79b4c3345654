"""Figures and tables of the gupta2021 report, one function per report section.

Each takes the report's ``Results`` (``R``) and prints a one-line note instead of a figure
when its experiment was not run in the profile being rendered. Curves are means over seeds.
Every figure goes through `ibcore.report.show_figure` with an alt text that says what it shows.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display
from matplotlib.ticker import FixedLocator, NullLocator

from ibcore.notebook import Results, html_table
from ibcore.report import show_figure

ACTIVATIONS = ("relu", "tanh")
EDGE = "Noshad, Zeng & Hero 2019"
GUPTA = "Gupta 2021"
SAXE = "Saxe et al. 2018"
#: metrics key -> (label, x label, y label) of the information planes shown side by side
PLANE_ESTIMATORS = {
    "edge_authors": ("EDGE, authors' setup (raw X, p-stable)", "I(X;T) [bits]", "I(T;Y) [bits]"),
    "edge_floor": ("EDGE, ibcore (X = index)", "I(X;T) [bits]", "I(T;Y) [bits]"),
    "edge_xor": ("EDGE, XOR hash, library ε", "I(X;T) [bits]", "I(T;Y) [bits]"),
    "edge_xor_fine": ("EDGE, XOR hash, ε = 0.05 sd", "I(X;T) [bits]", "I(T;Y) [bits]"),
    "hsic": ("normalised HSIC (median σ)", "nHSIC(X,T)", "nHSIC(T,Y)"),
    "hsic_pyglow": ("HSIC, σ = 5 (PyGlow guess)", "HSIC(X,T)", "HSIC(T,Y)"),
}
#: estimators of the compression comparison (I(X;T) over epochs)
COMPARISON = {
    "edge_authors": "EDGE, authors' setup",
    "edge_floor": "EDGE, ibcore (X = index)",
    "edge_xor_fine": "EDGE, XOR, ε = 0.05 sd",
    "binning_100": "binning, 100 bins (Saxe App. A)",
    "binning_05": "binning, width 0.5 (Saxe App. B)",
    "kde": "KDE upper bound, var 0.1 (Saxe App. B)",
    "hsic": "normalised HSIC",
}
NEGATIVE_NOTE = (
    "Estimates in bits can come out below 0 (or above their ceiling): EDGE's ensemble "
    "extrapolates its members towards ε → 0, and a bias-corrected combination of plug-in "
    "estimates is not bounded by [0, H]. A negative value is an estimation error, not a "
    "negative mutual information."
)


def _plain_log_ticks(ax: plt.Axes, values: list[int], axis: str = "x") -> None:
    """Ticks at ``values`` only, labelled in plain numbers (no overlapping minor labels)."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(FixedLocator(values))
    target.set_minor_locator(NullLocator())
    labels = [f"{v // 1000}k" if v >= 1000 else str(v) for v in values]
    (ax.set_xticklabels if axis == "x" else ax.set_yticklabels)(labels, fontsize=8)


def accuracy(R: Any) -> None:
    """MSE vs N of the authors' EDGE, ibcore's EDGE and KSG (EDGE paper Figs. 2-3)."""
    runs = R.runs("edge_accuracy")
    if not runs:
        return
    methods = {"edge_authors": "EDGE (authors' code)", "edge": "EDGE (ibcore)", "ksg": "KSG"}
    rows = []
    for m in runs:
        for method, label in methods.items():
            for dist, mse in m[method]["mse"].items():
                rows += [
                    {"N": n, "MSE [bits²]": v, "estimator": label, "distribution": dist}
                    for n, v in zip(m["n"], mse)
                ]
    df = pd.DataFrame(rows)
    g = sns.relplot(
        df, x="N", y="MSE [bits²]", hue="estimator", col="distribution", kind="line",
        marker="o", col_wrap=3, height=2.8, aspect=1.2, facet_kws={"sharey": False},
    )
    g.set(xscale="log", yscale="log")
    g.set_titles("{col_name}")
    for ax in g.axes.flat:
        _plain_log_ticks(ax, runs[0]["n"])
    g.figure.suptitle(f"{EDGE}, Figs. 2-3 settings: MSE against exact MI", y=1.02)
    dists = list(runs[0]["truth"])
    show_figure(g.figure, alt=(
        "Log-log MSE against N for the authors' EDGE, ibcore's EDGE and KSG, one panel per "
        f"test distribution ({', '.join(dists)}); mean over seeds. The verdict table gives the "
        "comparison at a = 1/5 that the claims use."))
    truth, n_max = runs[0]["truth"], runs[0]["n"][-1]
    bias = Results.seed_mean
    table = [
        {
            "distribution": d,
            "exact I [bits]": f"{truth[d]:.3f}",
            **{
                f"{label} bias at N={n_max}": f"{bias(runs, meth, 'bias', d)[-1]:+.3f}"
                for meth, label in methods.items()
            },
        }
        for d in truth
    ]
    display(HTML(html_table(table)))


def runtime(R: Any) -> None:
    """Seconds per estimate against N, log-log, with the fitted slopes."""
    runs = R.runs("edge_runtime")
    if not runs:
        return
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    slopes = {}
    for method in ("edge", "ksg"):
        secs = Results.seed_mean(runs, method, "seconds")
        slopes[method] = [m[method]["slope"] for m in runs]
        ax.loglog(runs[0]["n"], secs, "o-",
                  label=f"{method.upper()} (slope {np.mean(slopes[method]):.2f}, "
                        f"{len(runs)} seeds)")
    _plain_log_ticks(ax, runs[0]["n"])
    ax.set_xlabel("N (samples)")
    ax.set_ylabel("seconds per estimate")
    ax.set_title(f"{EDGE}: runtime against N (fastest of repeats)", fontsize=10)
    ax.legend(fontsize=8)
    show_figure(fig, alt=(
        f"Log-log runtime against N for EDGE and KSG; fitted slopes EDGE "
        f"{np.mean(slopes['edge']):.2f}, KSG {np.mean(slopes['ksg']):.2f} (mean over "
        f"{len(runs)} seeds)."))


def planes(R: Any, experiment: str) -> None:
    """Information planes per estimator (2 x 3 grid); colour = epoch, one curve per layer."""
    runs = R.runs(experiment)
    if not runs:
        return
    act = experiment.split("_")[-1]
    epoch = np.asarray(runs[0]["epoch"])
    fig, axes = plt.subplots(2, 3, figsize=(14, 8.4), layout="constrained")
    for ax, (key, (label, xl, yl)) in zip(axes.flat, PLANE_ESTIMATORS.items()):
        ixt, ity = Results.seed_mean(runs, key, "ixt"), Results.seed_mean(runs, key, "ity")
        for layer in range(len(ixt)):
            ax.plot(ixt[layer], ity[layer], color="0.7", lw=0.8, zorder=1)
            sc = ax.scatter(ixt[layer], ity[layer], c=epoch, cmap="viridis", s=14, zorder=2)
            ax.annotate(f"T{layer + 1}", (ixt[layer][-1], ity[layer][-1]), fontsize=8)
        ax.set_xlabel(xl)
        ax.set_ylabel(yl)
        ax.set_title(label, fontsize=10)
    fig.colorbar(sc, ax=axes, label="epoch", shrink=0.6)
    fig.suptitle(f"{act}: information planes on the same activations ({EDGE}; {GUPTA})")
    final = Results.seed_mean(runs, "edge_authors", "ixt")[:, -1]
    show_figure(fig, alt=(
        f"Six information planes of the {act} network, one per estimator, one curve per hidden "
        "layer coloured by epoch. Final I(X;T) under the authors' EDGE: "
        + ", ".join(f"T{i + 1} {v:.1f} bits" for i, v in enumerate(final))
        + "; the index-as-X EDGE and the fine XOR hash sit near log2 N."))
    print(NEGATIVE_NOTE)


def collisions(R: Any) -> None:
    """Share of ε-cells the XOR hash merges, per layer and epoch, beside the XOR estimates."""
    rows = []
    for act in ACTIVATIONS:
        runs = R.metrics(f"planes_{act}")
        if not runs:
            continue
        ep = runs[0]["epoch"]
        for key, label in (("edge_xor", "library ε"), ("edge_xor_fine", "ε = 0.05 sd")):
            coll = Results.seed_mean(runs, key, "collision")
            ixt = Results.seed_mean(runs, key, "ixt")
            ity = Results.seed_mean(runs, key, "ity")
            for layer in range(len(coll)):
                rows.append({
                    "activation": act, "XOR hash": label, "layer": f"T{layer + 1}",
                    **{f"epoch {e}": f"{100 * c:.1f} % · {a:.2f} / {b:.2f}"
                       for e, c, a, b in zip(ep, coll[layer], ixt[layer], ity[layer])},
                })
    if not rows:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    display(HTML(
        "<p>Each cell: collision rate (share of occupied ε-cells merged into another cell's XOR "
        "code, mean over seeds) · I(X;T) / I(T;Y) in bits of that XOR estimate.</p>"
        + html_table(rows)))


def ixt_by_layer(R: Any, experiment: str) -> None:
    """I(X;T) against hidden-layer index at a few epochs (Gupta's inference 4)."""
    runs = R.runs(experiment)
    if not runs:
        return
    act = experiment.split("_")[-1]
    ends = runs[0]["epoch"]
    picks = sorted({0, 1, len(ends) // 2, len(ends) - 1} & set(range(len(ends))))
    keys = ("edge_authors", "edge_xor_fine", "hsic")
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    for ax, key in zip(axes, keys):
        label, xl, _ = PLANE_ESTIMATORS[key]
        ixt = Results.seed_mean(runs, key, "ixt")
        for p in picks:
            ax.plot(range(1, len(ixt) + 1), ixt[:, p], "o-", label=f"epoch {ends[p]:g}")
        ax.set_xticks(range(1, len(ixt) + 1), [f"T{i}" for i in range(1, len(ixt) + 1)])
        ax.set_xlabel("hidden layer")
        ax.set_ylabel(xl)
        ax.set_title(label, fontsize=10)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{act}: I(X;T) by depth ({GUPTA}, inference 4)")
    final = Results.seed_mean(runs, "edge_authors", "ixt")[:, -1]
    show_figure(fig, alt=(
        f"I(X;T) against layer depth at epochs {', '.join(str(ends[p]) for p in picks)} for "
        f"the {act} network under the authors' EDGE, the fine XOR hash and normalised HSIC; "
        "the authors' EDGE falls with depth at the last epoch ("
        + " > ".join(f"{v:.1f}" for v in final) + " bits)."))


def training_curves(R: Any) -> None:
    """Train (probe images) and test accuracy at every epoch end, per activation."""
    found = {act: R.metrics(f"planes_{act}") for act in ACTIVATIONS}
    found = {a: r for a, r in found.items() if r}
    if not found:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    fig, (full, zoom) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    lows = []
    for act, runs in found.items():
        ep = runs[0]["epoch"]
        test = Results.seed_mean(runs, "test_accuracy_curve")
        train = Results.seed_mean(runs, "train_accuracy_curve")
        for ax in (full, zoom):
            ax.plot(ep, test, "o-", ms=3, label=f"{act} test")
            ax.plot(ep, train, "--", label=f"{act} train (probe images)")
        lows.append(min(test[1:].min(), train[1:].min()))
    for ax in (full, zoom):
        ax.axhline(0.98, color="k", lw=0.8, ls=":", label=f"{EDGE}: ≈ 0.98")
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy")
    full.set_ylim(0.0, 1.0)
    full.set_title("whole range (epoch 0 = initialisation)", fontsize=10)
    low = float(np.floor((min(lows) - 0.005) * 100) / 100)
    zoom.set_ylim(low, 1.0)
    zoom.set_xlim(0.5, None)
    zoom.set_title(f"from epoch 1, accuracy {low:.2f}-1", fontsize=10)
    full.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Training of 784-W-20-20-20-10 ({EDGE} setup)")
    final = {a: float(np.mean([m["test_accuracy"] for m in r])) for a, r in found.items()}
    show_figure(fig, alt=(
        "Train and test accuracy against epoch, full range and zoomed from epoch 1; final test "
        "accuracy " + ", ".join(f"{a} {v:.3f}" for a, v in final.items())
        + " against the paper's 0.98."))


def agreement(R: Any) -> None:
    """Spearman rho between EDGE and HSIC curves over epochs, per layer (inference 5)."""
    rows = []
    for act in ACTIVATIONS:
        runs = R.metrics(f"planes_{act}")
        if not runs:
            continue
        for pair in runs[0]["agreement"]:
            for coord in ("ixt", "ity"):
                rho = Results.seed_mean(runs, "agreement", pair, coord)
                rows.append({
                    "activation": act, "EDGE vs HSIC": pair.replace("_vs_", " vs "),
                    "coordinate": coord,
                    **{f"T{i + 1}": f"{r:+.2f}" for i, r in enumerate(rho)},
                })
    if not rows:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    display(HTML(html_table(rows)))


def compression(R: Any) -> None:
    """I(X;T) over epochs for every hidden layer under each estimator, ReLU and tanh."""
    acts = [a for a in ACTIVATIONS if R.metrics(f"planes_{a}")]
    if not acts:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    fig, axes = plt.subplots(len(acts), len(COMPARISON), figsize=(20, 3.6 * len(acts)),
                             squeeze=False, layout="constrained")
    rows = []
    for r, act in enumerate(acts):
        runs = R.metrics(f"planes_{act}")
        ends = runs[0]["epoch"]
        for c, (key, label) in enumerate(COMPARISON.items()):
            ixt = Results.seed_mean(runs, key, "ixt")
            ax = axes[r, c]
            for layer, s in enumerate(ixt):
                ax.plot(ends, s, "o-", ms=3, label=f"T{layer + 1}")
            ax.set_title(f"{act}\n{label}", fontsize=9)
            ax.set_xlabel("epoch")
            ax.set_ylabel("I(X;T) [bits]" if key != "hsic" else "nHSIC(X,T)")
            drops = [float(np.max(s) - s[-1]) for s in ixt]
            room = Results.seed_mean(runs, key, "ixt_headroom") if key != "hsic" else None
            rows.append({
                "activation": act,
                "estimator": label,
                "peak − final I(X;T), per layer": ", ".join(f"{d:.2f}" for d in drops),
                "head-room below log₂ N (min over layers)": (
                    "n/a" if room is None else f"{float(room):.2f}"),
                "compression (drop ≥ 0.1 bits) in": (
                    "n/a (not bits)" if key == "hsic" else
                    f"{sum(d >= 0.1 for d in drops)}/{len(drops)} layers"),
            })
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"Does I(X;T) fall? The same activations under EDGE and {SAXE}'s estimators")
    show_figure(fig, alt=(
        "I(X;T) of each hidden layer against epoch, one panel per estimator (authors' EDGE, "
        "ibcore EDGE, fine XOR EDGE, binning with 100 bins and with width 0.5, KDE, HSIC), one "
        "row per activation; the binning, KDE and index-as-X EDGE curves of ReLU sit at their "
        "ceilings after the first epoch."))
    display(HTML(html_table(rows)))
    print(NEGATIVE_NOTE)
