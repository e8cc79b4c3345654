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
from matplotlib.ticker import NullFormatter

from ibcore.notebook import Results
from ibcore.report import show_figure

sns.set_theme(style="whitegrid", context="notebook")

# readable names for the experiments (figure titles carry no internal ids)
TITLES = {
    "szt_tanh": "tanh, authors' init",
    "szt_relu": "ReLU, authors' init",
    "szt_tanh_torchinit": "tanh, PyTorch default init",
    "szt_relu_torchinit": "ReLU, PyTorch default init",
    "szt_softsign": "softsign",
    "szt_softplus": "softplus",
    "szt_overfit": "tanh, 30 % of the data",
    "gd_tanh": "tanh",
    "gd_relu": "ReLU",
    "linear_bgd": "linear, P = N, full batch",
    "linear_sgd": "linear, P = N, minibatch 5",
    "linear_bgd_p4n": "linear, P = 4N, full batch",
    "linear_deep": "linear, five hidden layers",
    "linear111_snr": "1-1-1 linear network",
    "mnist_tanh": "MNIST tanh",
    "mnist_relu": "MNIST ReLU",
}
ESTIMATORS = {"binning": "binning", "kde": "KDE upper bound"}


def title(exp: str) -> str:
    """The readable name of an experiment."""
    return TITLES.get(exp, exp.replace("_", " "))


def _get(d: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        d = d[key]
    return d


def _first(R: Any, experiment: str) -> dict | None:
    runs = R.metrics(experiment)
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
    t = m["tanh"]
    show_figure(fig, alt=f"Exact I(T;X) of one unit against its weight w up to {max(m['w']):g}. "
                f"The binned tanh curve peaks at {t['max']:.2f} bits near w = {t['peak_w']:.2g} "
                f"and then falls to {t['ixt'][-1]:.2f} bits; the ReLU curve and the tanh curve "
                "with net-input bins keep rising.")


def info_planes(R: Any, panels: list[tuple[str, ...]], ncols: int = 2) -> None:
    """Information planes (mean over seeds), one panel per (experiment, estimator[, arm]).

    Layers are separate curves; colour is the logged epoch (log scale), as in Fig. 1. Layer
    labels sit at each curve's end, nudged apart so that they do not overlap.
    """
    def plane(m: dict, est: str, arm: str | None) -> dict | None:
        d = m.get(arm, {}) if arm else m
        return d.get(est)

    present = [p for p in panels if R.metrics(p[0]) and plane(R.metrics(p[0])[0], p[1],
                                                             p[2] if len(p) > 2 else None)]
    for e in sorted({p[0] for p in panels} - {p[0] for p in present}):
        print(f"The experiment '{title(e)}' was not run in the {R.profile} profile.")
    if not present:
        return
    nrows = int(np.ceil(len(present) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.0 * nrows), squeeze=False,
                             layout="constrained")
    alts = []
    for ax, p in zip(axes.flat, present):
        exp, est, arm = p[0], p[1], (p[2] if len(p) > 2 else None)
        runs = R.metrics(exp)
        path = (arm, est) if arm else (est,)
        epochs = np.asarray(runs[0]["epochs"] if not arm else runs[0][arm]["epochs"])
        layers = list(_get(runs[0], path)["ixt"])
        norm = LogNorm(vmin=1, vmax=max(epochs.max(), 2))
        ends = []
        for layer in layers:
            ixt = Results.seed_mean(runs, *path, "ixt", layer)
            ity = Results.seed_mean(runs, *path, "ity", layer)
            ax.plot(ixt, ity, color="0.8", linewidth=0.8, zorder=1)
            sc = ax.scatter(ixt, ity, c=np.maximum(epochs, 1), cmap="viridis", norm=norm, s=14,
                            zorder=2)
            ends.append((layer.replace("layer", "T"), ixt[-1], ity[-1]))
        # nudge labels: sort by y and keep at least 4 % of the axis height between them
        lo, hi = ax.get_ylim()
        gap, last = 0.04 * (hi - lo), -np.inf
        for name, x, y in sorted(ends, key=lambda e: e[2]):
            ylab = max(y, last + gap)
            ax.annotate(name, (x, y), xytext=(x, ylab), fontsize=7,
                        textcoords="data", ha="left", va="center")
            last = ylab
        ax.set_xlabel("I(X;T) [bits]")
        ax.set_ylabel("I(T;Y) [bits]")
        head = title(exp) + (f", {'minibatch SGD' if arm == 'sgd' else 'full-batch GD'}"
                             if arm else "")
        ax.set_title(f"{head}: {ESTIMATORS.get(est, est)} ({len(runs)} seeds)", fontsize=10)
        finals = ", ".join(f"{n} {x:.1f}" for n, x, _ in ends)
        alts.append(f"{head}, {ESTIMATORS.get(est, est)}: final I(X;T) per layer in bits {finals}")
    for ax in axes.flat[len(present):]:
        ax.axis("off")
    fig.colorbar(sc, ax=axes, label="epoch", shrink=0.8)
    show_figure(fig, alt="Information planes, mean over seeds, colour = epoch. " + "; ".join(alts)
                + ".")


def per_seed_compression(R: Any, experiments: list[str], est: str = "binning",
                         layers: tuple[str, ...] = ("layer4", "layer5")) -> None:
    """Small multiples: I(X;T) of the layers nearest the output against epoch, one panel per
    seed, for the claims whose verdict depends on seed-to-seed spread."""
    present = [e for e in experiments if R.metrics(e) and est in R.metrics(e)[0]]
    if not present:
        return
    n = max(len(R.metrics(e)) for e in present)
    ncols = min(n, 5)
    nrows = len(present) * int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, 2.2 * nrows), squeeze=False,
                             sharex=True, layout="constrained")
    alts = []
    for row0, exp in enumerate(present):
        runs = R.metrics(exp)
        per_row = int(np.ceil(n / ncols))
        drops = []
        for k, m in enumerate(runs):
            ax = axes[row0 * per_row + k // ncols, k % ncols]
            ep = np.maximum(np.asarray(m["epochs"]), 0.5)
            for i, layer in enumerate(layers):
                ax.plot(ep, m[est]["ixt"][layer], color=f"C{i}", label=layer.replace("layer", "T"))
            ax.set_xscale("log")
            ax.set_title(f"{title(exp)}, run {k + 1}", fontsize=8)
            drops.append(m[est]["near_output_drop"])
        axes[row0 * per_row, 0].legend(fontsize=7)
        alts.append(f"{title(exp)}: compression of T4-T5 per seed (peak minus final, bits) "
                    + ", ".join(f"{d:.2f}" for d in drops))
    for ax in axes[-1]:
        ax.set_xlabel("epoch")
    for ax in axes[:, 0]:
        ax.set_ylabel("I(X;T) [bits]")
    show_figure(fig, alt="Per-seed I(X;T) of layers 4 and 5 against epoch. " + "; ".join(alts)
                + ".")


def series_by_layer(R: Any, panels: list[tuple[str, ...]], ylabel: str, logy: bool = False,
                    what: str = "") -> None:
    """A per-layer quantity (mean over seeds) against epoch, one panel per (experiment, path…);
    every panel has its own legend of layers."""
    present = [p for p in panels if R.metrics(p[0])]
    if not present:
        return
    fig, axes = plt.subplots(1, len(present), figsize=(4.6 * len(present), 3.6), squeeze=False,
                             layout="constrained")
    for ax, (exp, *path) in zip(axes.flat, present):
        runs = R.metrics(exp)
        arm = path[0] if path[0] in ("sgd", "bgd") else None
        base = runs[0][arm] if arm else runs[0]
        epochs = np.maximum(np.asarray(base["epochs"]), 0.5)
        data = _get(runs[0], tuple(path))
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
        ax.set_title(title(exp) + {"sgd": ", minibatch SGD", "bgd": ", full-batch GD"}.get(arm, ""),
                     fontsize=10)
        ax.legend(fontsize=7)
    show_figure(fig, alt=f"{ylabel} per layer against epoch (log scale), mean over seeds, for "
                + ", ".join(title(p[0]) + (f" ({p[1]})" if p[1] in ("sgd", "bgd") else "")
                            for p in present) + (f". {what}" if what else "."))


def gd_losses(R: Any, experiments: list[str]) -> None:
    """§4: training loss of minibatch SGD and full-batch GD against the number of optimisation
    steps (the arms are matched in steps), mean over seeds."""
    present = [e for e in experiments if R.metrics(e)]
    if not present:
        return
    fig, axes = plt.subplots(1, len(present), figsize=(5.0 * len(present), 3.6), squeeze=False,
                             layout="constrained")
    alts = []
    for ax, exp in zip(axes.flat, present):
        runs = R.metrics(exp)
        steps = np.maximum(np.asarray(runs[0]["updates"]), 0.5)
        for arm, lab in (("sgd", "minibatch SGD"), ("bgd", "full-batch GD")):
            loss = Results.seed_mean(runs, arm, "train_loss")
            ax.plot(steps, loss, label=lab)
            alts.append(f"{title(exp)} {lab}: final training loss {loss[-1]:.3g}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("optimisation steps")
        ax.set_ylabel("training loss (sigmoid cross-entropy)")
        ax.set_title(title(exp), fontsize=10)
        ax.legend(fontsize=8)
    show_figure(fig, alt="Training loss against optimisation steps, both arms at the same "
                "steps. " + "; ".join(alts) + ".")


def errors(R: Any, experiments: list[str]) -> None:
    """Train and test error against epoch (mean over seeds)."""
    present = [e for e in experiments if R.metrics(e)]
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
    df = pd.concat(frames)
    df["experiment"] = df["experiment"].map(title)
    sns.lineplot(df, x="epoch", y="error", hue="experiment", style="split", ax=ax)
    ax.set_xscale("log")
    ax.set_ylabel("error rate")
    def final(e: str, split: str) -> float:
        return float(Results.seed_mean(R.metrics(e), split)[-1])

    finals = "; ".join(f"{title(e)}: train {final(e, 'train_error'):.3f}, "
                       f"test {final(e, 'test_error'):.3f}" for e in present)
    show_figure(fig, alt=f"Train and test error against epoch, mean over seeds. Final: {finals}.")


def linear_teacher_student(R: Any, experiments: list[str]) -> None:
    """E_g(t) with every layer's I(T;X) and I(T;Y) (Figs. 3, 4A-B, 18)."""
    present = [e for e in experiments if R.metrics(e)]
    if not present:
        return
    fig, axes = plt.subplots(3, len(present), figsize=(4.6 * len(present), 8.4), squeeze=False)
    alts = []
    for col, exp in enumerate(present):
        runs = R.metrics(exp)
        epochs = np.maximum(np.asarray(runs[0]["epochs"]), 0.5)
        axes[0, col].plot(epochs, Results.seed_mean(runs, "eg"), color="k", label="E_g (test)")
        axes[0, col].plot(epochs, Results.seed_mean(runs, "train_mse"), color="0.5", ls="--",
                          label="training MSE")
        axes[0, col].set_ylabel("error")
        axes[0, col].set_yscale("log")
        axes[0, col].set_title(title(exp), fontsize=10)
        eg = Results.seed_mean(runs, "eg")
        alts.append(f"{title(exp)}: E_g from {eg[0]:.2f} to a minimum {eg.min():.2f} and "
                    f"{eg[-1]:.2f} at the end")
        for row, key in ((1, "ixt"), (2, "ity")):
            for i, s in enumerate(Results.seed_mean(runs, key)):
                axes[row, col].plot(epochs, s, label=f"T{i + 1}")
            axes[row, col].set_ylabel(("I(X;T)" if key == "ixt" else "I(T;Y)") + " [bits]")
        for row in range(3):
            axes[row, col].set_xscale("log")
        axes[2, col].set_xlabel("epoch")
        for row in range(3):
            axes[row, col].legend(fontsize=7)
    plt.tight_layout()
    show_figure(fig, alt="Deep linear students: generalisation error, I(X;T) and I(T;Y) of every "
                "layer against epoch; every I(X;T) curve rises. " + "; ".join(alts) + ".")


def relevant_irrelevant(R: Any) -> None:
    """Fig. 6: total, relevant and irrelevant information with the training error."""
    runs = R.metrics("relevant_irrelevant")
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
    irr = Results.seed_mean(runs, "ixt_irrelevant")
    show_figure(fig, alt="Relevant and irrelevant inputs: total and relevant information rise; "
                f"irrelevant information peaks at {irr.max():.4f} bits and ends at {irr[-1]:.4f}; "
                "the training error falls throughout.")


def advani_saxe(R: Any) -> None:
    """Simulated vs. closed-form E_g(t) for each load α."""
    runs = R.metrics("advani_saxe")
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
    show_figure(fig, alt="Learning curves E_g(t) of a one-layer linear student for each load "
                "alpha: closed form (lines) and simulation (dots) overlap; at alpha = 1 both grow "
                "without bound.")


def gd_by_loss(R: Any, experiments: list[str], layers: tuple[str, ...] = ("layer4", "layer5"),
               est: str = "binning") -> None:
    """§4 at matched training loss: I(X;T) of the layers nearest the output against the
    training loss, minibatch SGD and full-batch GD of the same seeds (mean over seeds at each
    logged step; read right to left as training proceeds). No claim reads this figure."""
    present = [e for e in experiments if R.metrics(e)]
    if not present:
        return
    fig, axes = plt.subplots(1, len(present), figsize=(5.0 * len(present), 3.8), squeeze=False,
                             layout="constrained")
    alts = []
    for ax, exp in zip(axes.flat, present):
        runs = R.metrics(exp)
        for arm, ls, lab in (("sgd", "-", "minibatch SGD"), ("bgd", "--", "full-batch GD")):
            loss = Results.seed_mean(runs, arm, "train_loss")
            for i, layer in enumerate(layers):
                ixt = Results.seed_mean(runs, arm, est, "ixt", layer)
                ax.plot(loss, ixt, ls=ls, color=f"C{i}",
                        label=f"{layer.replace('layer', 'T')}, {lab}")
            alts.append(f"{title(exp)} {lab}: loss down to {loss[-1]:.3g}")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels collide on a short range
        ax.invert_xaxis()
        ax.set_xlabel("training loss (training proceeds to the right)")
        ax.set_ylabel("I(X;T) [bits]")
        ax.set_title(f"{title(exp)}: {ESTIMATORS.get(est, est)} at matched loss", fontsize=10)
        ax.legend(fontsize=7)
    show_figure(fig, alt="I(X;T) of layers 4 and 5 against the training loss for minibatch SGD "
                "(solid) and full-batch GD (dashed), so the arms can be compared at equal loss. "
                + "; ".join(alts) + ".")
