"""Figures of the Saxe et al. (ICLR 2018) report, one function per experiment section.

Each takes the report's `Results` and prints a one-line note when its experiment was not run
in the profile being rendered.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LogNorm

from ibcore.notebook import Results

sns.set_theme(style="whitegrid", context="notebook")


def _first(R: Any, experiment: str) -> dict | None:
    runs = R.runs(experiment)
    return runs[0] if runs else None


def three_neuron(R: Any) -> None:
    """Fig. 2C–D and Fig. 13: exact I(T;X) against the weight w."""
    m = _first(R, "three_neuron")
    if m is None:
        return
    cfg = R.config("three_neuron")
    labels = {
        "tanh": f"tanh, {cfg['tanh_bins']} bins on [−1, 1] (Fig. 2C)",
        "relu": f"ReLU, uncapped bins of width {cfg['relu_bin_width']:.3g} (Fig. 2D)",
        "tanh_netinput_bins": f"tanh, {cfg['netinput_edges']} edges even in net input (Fig. 13)",
    }
    df = pd.concat(
        pd.DataFrame({"w": m["w"], "I(T;X) [bits]": m[k]["ixt"], "model": lab})
        for k, lab in labels.items()
    )
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    sns.lineplot(df, x="w", y="I(T;X) [bits]", hue="model", ax=ax, linewidth=2)
    ax.set_xlabel("weight w")
    ax.set_title("Three-neuron model: exact I(T;X) = H(T)")
    ax.legend(fontsize=8, loc="lower right")
    plt.show()


def info_planes(R: Any, panels: list[tuple[str, str]], ncols: int = 2) -> None:
    """Information planes (mean over seeds), one panel per (experiment, estimator).

    Layers are separate curves; colour is the logged epoch (log scale), as in Fig. 1.
    """
    present = [(e, est) for e, est in panels if R.metrics(e) and est in R.metrics(e)[0]]
    for e in sorted({e for e, _ in panels} - {e for e, _ in present}):
        print(f"`{e}` was not run in the {R.profile} profile.")
    if not present:
        return
    nrows = int(np.ceil(len(present) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.0 * nrows), squeeze=False,
                             layout="constrained")
    for ax, (exp, est) in zip(axes.flat, present):
        runs = R.metrics(exp)
        epochs = np.asarray(runs[0]["epochs"])
        layers = list(runs[0][est]["ixt"])
        norm = LogNorm(vmin=1, vmax=max(epochs.max(), 2))
        for layer in layers:
            ixt = Results.seed_mean(runs, est, "ixt", layer)
            ity = Results.seed_mean(runs, est, "ity", layer)
            ax.plot(ixt, ity, color="0.8", linewidth=0.8, zorder=1)
            sc = ax.scatter(ixt, ity, c=np.maximum(epochs, 1), cmap="viridis", norm=norm, s=14,
                            zorder=2)
            ax.annotate(layer.replace("layer", "T"), (ixt[-1], ity[-1]), fontsize=7)
        ax.set_xlabel("I(X;T) [bits]")
        ax.set_ylabel("I(T;Y) [bits]")
        ax.set_title(f"{exp} — {est} ({len(runs)} seed(s))", fontsize=10)
    for ax in axes.flat[len(present):]:
        ax.axis("off")
    fig.colorbar(sc, ax=axes, label="epoch", shrink=0.8)
    plt.show()


def series_by_layer(R: Any, experiments: list[str], path: tuple[str, ...], ylabel: str,
                    logy: bool = False) -> None:
    """A per-layer quantity (mean over seeds) against epoch, one panel per experiment."""
    present = [e for e in experiments if R.runs(e)]
    if not present:
        return
    fig, axes = plt.subplots(1, len(present), figsize=(4.6 * len(present), 3.6), squeeze=False,
                             layout="constrained")
    for ax, exp in zip(axes.flat, present):
        runs = R.metrics(exp)
        epochs = np.maximum(np.asarray(runs[0]["epochs"]), 0.5)
        data = runs[0]
        for key in path:
            data = data[key]
        if isinstance(data, dict):  # {"layer1": series, ...}
            names = list(data)
            rows = [Results.seed_mean(runs, *path, n) for n in names]
        else:  # [[series of layer 1], ...]
            rows = Results.seed_mean(runs, *path)
            names = [f"layer{i + 1}" for i in range(len(rows))]
        for name, row in zip(names, rows):
            ax.plot(epochs, row, label=name.replace("layer", "T"))
        ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.set_title(exp, fontsize=10)
    axes.flat[0].legend(fontsize=7)
    plt.show()


def errors(R: Any, experiments: list[str]) -> None:
    """Train and test error against epoch (mean over seeds)."""
    present = [e for e in experiments if R.runs(e)]
    if not present:
        return
    frames = []
    for exp in present:
        runs = R.metrics(exp)
        for split in ("train_error", "test_error"):
            frames.append(pd.DataFrame({
                "epoch": np.maximum(runs[0]["epochs"], 0.5),
                "error": Results.seed_mean(runs, split),
                "split": split.split("_")[0], "experiment": exp,
            }))
    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    sns.lineplot(pd.concat(frames), x="epoch", y="error", hue="experiment", style="split", ax=ax)
    ax.set_xscale("log")
    ax.set_ylabel("error rate")
    plt.show()


def linear_teacher_student(R: Any, experiments: list[str]) -> None:
    """E_g(t) with every layer's I(T;X) and I(T;Y) (Figs. 3, 4A-B, 18)."""
    present = [e for e in experiments if R.runs(e)]
    if not present:
        return
    fig, axes = plt.subplots(3, len(present), figsize=(4.6 * len(present), 8.4), squeeze=False)
    for col, exp in enumerate(present):
        runs = R.metrics(exp)
        epochs = np.maximum(np.asarray(runs[0]["epochs"]), 0.5)
        axes[0, col].plot(epochs, Results.seed_mean(runs, "eg"), color="k", label="E_g (test)")
        axes[0, col].plot(epochs, Results.seed_mean(runs, "train_mse"), color="0.5", ls="--",
                          label="training MSE")
        axes[0, col].set_ylabel("error")
        axes[0, col].set_yscale("log")
        axes[0, col].set_title(exp, fontsize=10)
        for row, key in ((1, "ixt"), (2, "ity")):
            for i, s in enumerate(Results.seed_mean(runs, key)):
                axes[row, col].plot(epochs, s, label=f"T{i + 1}")
            axes[row, col].set_ylabel(("I(X;T)" if key == "ixt" else "I(T;Y)") + " [bits]")
        for row in range(3):
            axes[row, col].set_xscale("log")
        axes[2, col].set_xlabel("epoch")
    axes[0, 0].legend(fontsize=7)
    axes[1, 0].legend(fontsize=7)
    plt.tight_layout()
    plt.show()


def relevant_irrelevant(R: Any) -> None:
    """Fig. 6: total, relevant and irrelevant information with the training error."""
    runs = R.runs("relevant_irrelevant")
    if not runs:
        return
    epochs = np.maximum(np.asarray(runs[0]["epochs"]), 0.5)
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(13, 3.6))
    for key, lab in (("ixt", "I(T;X)"), ("ixt_relevant", "I(T;X_rel)")):
        a1.plot(epochs, Results.seed_mean(runs, key), label=lab)
    a2.plot(epochs, Results.seed_mean(runs, "ixt_irrelevant"), color="C3", label="I(T;X_irr)")
    a3.plot(epochs, Results.seed_mean(runs, "train_mse"), color="k")
    for ax, lab in ((a1, "bits"), (a2, "bits"), (a3, "training MSE")):
        ax.set_xscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(lab)
    a1.legend(fontsize=8)
    a2.legend(fontsize=8)
    a3.set_yscale("log")
    plt.tight_layout()
    plt.show()


def advani_saxe(R: Any) -> None:
    """Simulated vs. closed-form E_g(t) for each load α."""
    runs = R.runs("advani_saxe")
    if not runs:
        return
    t = np.asarray(runs[0]["t"])
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    keys = [k for k in runs[0] if k.startswith("alpha_")]
    for i, key in enumerate(keys):
        alpha = runs[0][key]["alpha"]
        ax.plot(t, Results.seed_mean(runs, key, "theory_eg"), color=f"C{i}", label=f"α = {alpha:g}")
        ax.plot(t, Results.seed_mean(runs, key, "sim_eg"), "o", color=f"C{i}", ms=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training time t (gradient-flow units)")
    ax.set_ylabel("E_g(t)")
    ax.set_title("lines: closed form; dots: simulation (mean over draws and seeds)", fontsize=9)
    ax.legend(fontsize=8)
    plt.show()
