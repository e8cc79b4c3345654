"""Figures of the achille2018 report, one function per experiment section.

Each takes the report's `Results`, plots every seed (thin) and the seed mean (thick), and prints
a one-line note when its experiment was not run in the profile being rendered.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

sns.set_theme(style="whitegrid", context="notebook")
plt.rcParams["figure.dpi"] = 90
LN10 = math.log(10)


def _long(runs: list[dict], x: str, ys: dict[str, Any]) -> pd.DataFrame:
    """One row per (seed, x, series): `ys` maps a series name to a function of a run."""
    frames = [
        pd.DataFrame(
            {
                x: run[x] if x in run else run["betas"],
                "value": get(run),
                "series": name,
                "seed": seed,
            }
        )
        for seed, run in enumerate(runs)
        for name, get in ys.items()
    ]
    return pd.concat(frames, ignore_index=True)


def random_labels(R: Any) -> None:
    """Training error and nats per sample vs β (Fig. 2 left), with β* and β = 1 marked."""
    runs = R.runs("random_labels")
    if not runs:
        return
    n = R.config("random_labels")["n_train"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    df = _long(runs, "betas", {f"N = {n}": lambda r: r["train_error"]})
    sns.lineplot(
        df,
        x="betas",
        y="value",
        units="seed",
        estimator=None,
        ax=ax1,
        alpha=0.35,
        marker="o",
        color="C0",
    )
    sns.lineplot(
        df,
        x="betas",
        y="value",
        ax=ax1,
        errorbar=None,
        color="C0",
        linewidth=2.5,
        label=f"random labels, N = {n} (mean of {len(runs)} seeds)",
    )
    for run in runs:
        ax1.axvline(run["transition"]["beta_star"], color="C3", ls=":", lw=1)
    ax1.axvline(1.0, color="k", ls="--", lw=1, label="β = 1")
    ax1.axhline(0.9, color="grey", lw=0.8)
    ax1.set(
        xscale="log",
        xlabel="β",
        ylabel="training error (sampled weights)",
        title="Phase transition (dotted: β* per seed)",
    )
    ax1.legend(fontsize=8, loc="upper left")
    df = _long(runs, "betas", {"KL/N": lambda r: r["kl_per_sample"]})
    sns.lineplot(
        df, x="betas", y="value", units="seed", estimator=None, ax=ax2, marker="o", alpha=0.6
    )
    ax2.axhline(LN10, color="C2", ls="--", label="ln 10 (one label)")
    ax2.axvline(1.0, color="k", ls="--", lw=1)
    ax2.set(
        xscale="log",
        yscale="log",
        xlabel="β",
        ylabel="KL(q ‖ p) / N  [nats per sample]",
        title="Information in the weights",
    )
    ax2.legend(fontsize=8)
    plt.tight_layout()
    plt.show()
    rows = [
        {"seed": i, **{k: round(v, 3) for k, v in r["transition"].items()}}
        for i, r in enumerate(runs)
    ]
    print(pd.DataFrame(rows).set_index("seed").T.to_string())
    conv = np.mean([c for r in runs for c in r["converged"]])
    print(f"\nfraction of β points that met the convergence criterion: {conv:.2f}")


def label_information(R: Any) -> None:
    """Nats per sample vs β, random against real labels (Fig. 2 right)."""
    runs = R.runs("label_information")
    if not runs:
        return
    df = _long(
        runs,
        "betas",
        {
            "random labels": lambda r: r["random"]["kl_per_sample"],
            "real labels": lambda r: r["real"]["kl_per_sample"],
        },
    )
    fig, ax = plt.subplots(figsize=(7, 4.2))
    sns.lineplot(df, x="betas", y="value", hue="series", style="seed", markers=True, ax=ax)
    ax.axhline(LN10, color="C2", ls="--", label="ln 10")
    ax.axhline(2 * LN10, color="C2", ls=":", label="2 ln 10")
    ax.set(
        xscale="log",
        xlabel="β",
        ylabel="KL / N  [nats per sample]",
        title="Information per sample: random vs real labels",
    )
    ax.legend(fontsize=8)
    plt.show()
    rows = [
        {
            "seed": i,
            "β (most compressed memorising)": r["beta_memorised"],
            "random: nats/sample": round(r["random"]["at_memorisation"], 3),
            "real: nats/sample": round(r["real"]["at_memorisation"], 3),
            "random train error": [round(e, 3) for e in r["random"]["train_error"]],
            "real train error": [round(e, 3) for e in r["real"]["train_error"]],
        }
        for i, r in enumerate(runs)
    ]
    print(pd.DataFrame(rows).to_string(index=False))


def dataset_size(R: Any) -> None:
    """Information in the weights vs N with random labels (Fig. 1)."""
    runs = R.runs("dataset_size")
    if not runs:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    df = _long(runs, "n_train", {"KL": lambda r: r["kl"]})
    sns.lineplot(df, x="n_train", y="value", style="seed", markers=True, ax=ax1)
    ns = np.array(runs[0]["n_train"])
    ax1.plot(ns, ns * LN10, "C2--", label="N · ln 10 (minimum to memorise)")
    ax1.set(
        xscale="log",
        yscale="log",
        xlabel="N (random-label training samples)",
        ylabel="KL(q ‖ p)  [nats]",
        title=f"β = {R.config('dataset_size')['beta']}",
    )
    ax1.legend(fontsize=8)
    df = _long(runs, "n_train", {"error": lambda r: r["train_error"]})
    sns.lineplot(df, x="n_train", y="value", style="seed", markers=True, ax=ax2)
    ax2.set(xscale="log", xlabel="N", ylabel="training error (sampled weights)", ylim=(0, 1))
    plt.tight_layout()
    plt.show()


def pac_bayes(R: Any) -> None:
    """PAC-Bayes bounds against the measured errors, per seed."""
    runs = R.runs("pac_bayes")
    if not runs:
        return
    rows = []
    for i, r in enumerate(runs):
        for name, value in [
            ("train error", r["train_error"]),
            ("test error", r["test_error"]),
            ("Langford–Seeger bound", r["bound"]["seeger"]),
            ("McAllester bound", r["bound"]["mcallester"]),
        ]:
            rows.append({"seed": str(i), "quantity": name, "error": value})
    fig, ax = plt.subplots(figsize=(7.5, 4))
    sns.barplot(pd.DataFrame(rows), x="quantity", y="error", hue="seed", ax=ax)
    ax.axhline(1.0, color="k", ls="--", lw=1)
    ax.set(
        ylim=(0, 1.05),
        ylabel="error rate (stochastic classifier)",
        xlabel="",
        title="Binary MNIST, β = 1: PAC-Bayes bound vs test error",
    )
    plt.show()
    print(
        pd.DataFrame(
            [
                {
                    "seed": i,
                    "KL [nats]": round(r["kl"], 1),
                    "KL/N": round(r["kl_per_sample"], 4),
                    "steps": r["steps"],
                    "converged": r["converged"],
                }
                for i, r in enumerate(runs)
            ]
        ).to_string(index=False)
    )


def fisher(R: Any) -> None:
    """Trace of the Fisher information vs epoch."""
    runs = R.runs("fisher")
    if not runs:
        return
    df = _long(
        runs,
        "epochs",
        {
            "tr F, y ~ p_w(y|x)": lambda r: r["trace"],
            "tr F, true labels": lambda r: r["trace_true_labels"],
        },
    )
    df["epochs_plot"] = df["epochs"] + 0.02  # epoch 0 on a log axis
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    sns.lineplot(df, x="epochs_plot", y="value", hue="series", style="seed", markers=True, ax=ax)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="epoch (+0.02)",
        ylabel="trace of the Fisher",
        title="Fisher information over training",
    )
    ax.legend(fontsize=8)
    plt.show()
    for i, r in enumerate(runs):
        print(
            f"seed {i}: peak at epoch {r['peak_epoch']:.2f}; final train error "
            f"{r['train_error']:.3f}, test error {r['test_error']:.3f}"
        )
