"""Figures and tables of the gupta2021 report, one function per report section.

Each takes the report's ``Results`` (``R``) and prints a one-line note instead of a figure
when its experiment was not run in the profile being rendered. Curves are means over seeds.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from ibcore.notebook import Results, html_table

sns.set_theme(style="whitegrid", context="notebook")

ACTIVATIONS = ("relu", "tanh")
#: metrics key -> label of the information-plane estimators shown side by side
PLANE_ESTIMATORS = {
    "edge_floor": "EDGE, paper hash [bits]",
    "edge_xor": "EDGE, Gupta XOR hash [bits]",
    "hsic": "normalised HSIC [no units]",
}
#: estimators of the EDGE-vs-Saxe comparison (all evaluated at epoch ends)
COMPARISON = {
    "edge_floor": "EDGE (paper hash)",
    "edge_xor": "EDGE (XOR hash)",
    "binning": "binning, 30 bins (Saxe App. A)",
    "kde": "KDE upper bound, var 0.1 (Saxe App. B)",
    "hsic": "normalised HSIC",
}


def accuracy(R: Any) -> None:
    """MSE vs N of EDGE and KSG on every test distribution (EDGE paper Figs. 2-3)."""
    runs = R.runs("edge_accuracy")
    if not runs:
        return
    rows = []
    for m in runs:
        for method in ("edge", "ksg"):
            for dist, mse in m[method]["mse"].items():
                rows += [
                    {"N": n, "MSE [bits²]": v, "estimator": method.upper(), "distribution": dist}
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
        ax.set_xticks(runs[0]["n"], [str(n) for n in runs[0]["n"]], fontsize=8)
        ax.minorticks_off()
    plt.show()
    truth, n_max = runs[0]["truth"], runs[0]["n"][-1]
    bias = Results.seed_mean
    table = [
        {
            "distribution": d,
            "exact I [bits]": f"{truth[d]:.3f}",
            **{
                f"{meth.upper()} bias at N={n_max}": f"{bias(runs, meth, 'bias', d)[-1]:+.3f}"
                for meth in ("edge", "ksg")
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
    fig, ax = plt.subplots(figsize=(6, 4))
    for method in ("edge", "ksg"):
        secs = Results.seed_mean(runs, method, "seconds")
        slope = np.mean([m[method]["slope"] for m in runs])
        ax.loglog(runs[0]["n"], secs, "o-", label=f"{method.upper()} (slope {slope:.2f})")
    ax.set_xlabel("N (samples)")
    ax.set_ylabel("seconds per estimate")
    ax.set_title("Runtime vs N (fastest of repeats)")
    ax.legend()
    plt.show()


def planes(R: Any, experiment: str) -> None:
    """Information planes side by side per estimator; colour = epoch, one curve per layer."""
    runs = R.runs(experiment)
    if not runs:
        return
    epoch = np.asarray(runs[0]["epoch"])
    fig, axes = plt.subplots(1, len(PLANE_ESTIMATORS), figsize=(13, 4))
    for ax, (key, label) in zip(axes, PLANE_ESTIMATORS.items()):
        ixt, ity = Results.seed_mean(runs, key, "ixt"), Results.seed_mean(runs, key, "ity")
        for layer in range(len(ixt)):
            ax.plot(ixt[layer], ity[layer], color="0.7", lw=0.8, zorder=1)
            sc = ax.scatter(ixt[layer], ity[layer], c=epoch, cmap="viridis", s=14, zorder=2)
            ax.annotate(f"T{layer + 1}", (ixt[layer][-1], ity[layer][-1]), fontsize=8)
        ax.set_xlabel("I(X;T)" if key != "hsic" else "nHSIC(X,T)")
        ax.set_ylabel("I(T;Y)" if key != "hsic" else "nHSIC(T,Y)")
        ax.set_title(label, fontsize=10)
    fig.colorbar(sc, ax=axes, label="epoch")
    plt.show()


def ixt_by_layer(R: Any, experiment: str) -> None:
    """I(X;T) against hidden-layer index at a few fixed epochs (Gupta's inference 4)."""
    runs = R.runs(experiment)
    if not runs:
        return
    ends = runs[0]["epoch_ends"]
    picks = sorted({0, 1, len(ends) // 2, len(ends) - 1} & set(range(len(ends))))
    fig, axes = plt.subplots(1, len(PLANE_ESTIMATORS), figsize=(13, 3.6))
    for ax, (key, label) in zip(axes, PLANE_ESTIMATORS.items()):
        ixt = Results.seed_mean(runs, key, "ixt_epochs")
        for p in picks:
            ax.plot(range(1, len(ixt) + 1), ixt[:, p], "o-", label=f"epoch {ends[p]:g}")
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("I(X;T)" if key != "hsic" else "nHSIC(X,T)")
        ax.set_title(label, fontsize=10)
    axes[0].legend(fontsize=8)
    plt.show()


def training_curves(R: Any) -> None:
    """Train (10,000-image slice) and test accuracy at every snapshot, per activation."""
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    shown = False
    for act in ACTIVATIONS:
        runs = R.metrics(f"planes_{act}")
        if not runs:
            continue
        shown = True
        ep = runs[0]["epoch"]
        ax.plot(ep, Results.seed_mean(runs, "test_accuracy_curve"), label=f"{act} test")
        ax.plot(ep, Results.seed_mean(runs, "train_accuracy_curve"), "--", label=f"{act} train")
    if not shown:
        plt.close(fig)
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    ax.axhline(0.98, color="k", lw=0.8, ls=":", label="EDGE paper ≈ 0.98")
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_ylim(0.8, 1.0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.legend(fontsize=8)
    plt.show()


def agreement(R: Any) -> None:
    """Spearman rho between EDGE and HSIC curves over snapshots, per layer (inference 5)."""
    rows = []
    for act in ACTIVATIONS:
        runs = R.metrics(f"planes_{act}")
        for h in ("edge_floor", "edge_xor"):
            for coord in ("ixt", "ity") if runs else ():
                rho = Results.seed_mean(runs, "agreement", h, coord)
                rows.append({
                    "activation": act, "EDGE": h, "coordinate": coord,
                    **{f"T{i + 1}": f"{r:+.2f}" for i, r in enumerate(rho)},
                })
    if not rows:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    display(HTML(html_table(rows)))


def saxe_comparison(R: Any) -> None:
    """I(X;T) over epochs for every hidden layer under each estimator, ReLU and tanh."""
    acts = [a for a in ACTIVATIONS if R.metrics(f"planes_{a}")]
    if not acts:
        print(f"No information-plane experiment was run in the {R.profile} profile.")
        return
    fig, axes = plt.subplots(
        len(acts), len(COMPARISON), figsize=(15, 3.3 * len(acts)), squeeze=False
    )
    rows = []
    for r, act in enumerate(acts):
        runs = R.metrics(f"planes_{act}")
        ends = runs[0]["epoch_ends"]
        for c, (key, label) in enumerate(COMPARISON.items()):
            ixt = Results.seed_mean(runs, key, "ixt_epochs")
            ax = axes[r, c]
            for layer, s in enumerate(ixt):
                ax.plot(ends, s, "o-", ms=3, label=f"T{layer + 1}")
            ax.set_title(f"{act}: {label}", fontsize=9)
            ax.set_xlabel("epoch")
            ax.set_ylabel("I(X;T) [bits]" if key != "hsic" else "nHSIC(X,T)")
            drops = [float(np.max(s) - s[-1]) for s in ixt]
            n_comp = sum(d >= 0.1 for d in drops)
            rows.append({
                "activation": act,
                "estimator": label,
                "peak − final I(X;T), per layer": ", ".join(f"{d:.2f}" for d in drops),
                # the 0.1-bit threshold of the claims; HSIC has no bits
                "compression (drop ≥ 0.1 bits) in": (
                    "n/a (not bits)" if key == "hsic" else f"{n_comp}/{len(drops)} layers"
                ),
            })
    axes[0, 0].legend(fontsize=7)
    plt.tight_layout()
    plt.show()
    display(HTML(html_table(rows)))
