"""Figures and tables of the hu2019 report; each copes with an experiment that was not run."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import display

from ibcore.report import show_figure

DPI = 90
PUBLISHED_BBNN = {"vanilla": ("Vanilla BNN", "1/n", 90.05),
                  "fixed": ("Fixed-prior β-BNN", 1e-10, 95.86),
                  "beta": ("β-BNN", 1e-5, 96.08), "online": ("Online β-BNN", 1e-3, 97.12)}
METHOD_NAMES = {"student": "Student", "kd": "KD", "fitnet": "FitNet (two-stage)",
                "fitnet_joint": "FitNet (joint)", "at": "AT", "nst": "NST", "vid": "VID"}


def blahut_arimoto(R) -> None:
    """R(D) from BA against the closed forms, and the Lagrangian over iterations."""
    if not R.runs("ba"):
        return
    m = R.metrics("ba")[0]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), dpi=DPI)
    for ax, key, title in [(axes[0], "binary", "Bernoulli(0.3), Hamming"),
                           (axes[1], "gauss", "N(0, 1) on a grid, squared error")]:
        s = m[key]
        d = np.array(s["distortion"])
        ax.plot(d, s["closed_form_bits"], "-", color="0.6", lw=3, label="closed form")
        ax.plot(d, s["rate_bits"], "o", ms=5, label="Blahut–Arimoto")
        ax.set(xlabel="distortion D", ylabel="rate R(D) [bits]",
               title=f"{title}\nmax |error| = {s['max_err_bits']:.1e} bits")
        ax.legend()
    for trace, beta in zip(m["gauss"]["lagrangian"], sorted(R.config("ba")["gauss_betas"],
                                                            reverse=True)):
        t = np.array(trace)
        axes[2].semilogy(np.arange(1, len(t) + 1), t - t[-1] + 1e-16, label=f"β = {beta:g}")
    axes[2].set(xlabel="iteration", ylabel="F_t − F_final [nats]",
                title="Gaussian: Lagrangian per iteration")
    axes[2].legend(fontsize=7, ncol=2)
    fig.tight_layout()
    show_figure(fig, alt="Blahut–Arimoto rate–distortion points on the closed-form curves: "
                "Bernoulli(0.3) with Hamming distortion (max error "
                f"{m['binary']['max_err_bits']:.1e} bits) and a gridded N(0, 1) with squared "
                "error (max error "
                f"{m['gauss']['max_err_bits']:.1e} bits); right, the Gaussian Lagrangian above its "
                "final value per iteration, one line per β, on a log axis, never rising.")


def anchor(R) -> None:
    """Plain training's test accuracy against n, with the slides' four rows as lines."""
    runs = R.metrics("bbnn_anchor")
    if not runs:
        return
    sizes = np.array(runs[0]["sizes"])
    accs = np.array([m["acc"] for m in runs])
    fig, ax = plt.subplots(figsize=(7, 4), dpi=DPI)
    mean = accs.mean(0)
    ax.errorbar(sizes, mean, yerr=[mean - accs.min(0), accs.max(0) - mean], marker="o",
                capsize=3, label="plain MLP 784-100-10 (seed mean, range)")
    for key, (_, ls) in VARIANT_STYLE.items():
        label, _, acc = PUBLISHED_BBNN[key]
        ax.axhline(acc, ls=ls, lw=1, color="0.4")
        ax.annotate(f"slides: {label} {acc}", (sizes[0], acc), fontsize=7, va="bottom")
    ax.axvline(runs[0]["n_ref"], color="k", ls=":", lw=1)
    ax.set_xscale("log")
    ax.set(xlabel="training images n", ylabel="test accuracy [%]",
           title="the anchor: plain training against n (dotted: the anchored n)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    show_figure(fig, alt="Plain MLP test accuracy against the number of training images "
                "(log axis): " + ", ".join(f"{a:.1f} % at n = {n:,}"
                                          for n, a in zip(sizes, accs.mean(0)))
                + "; horizontal lines mark the slides' four β-BNN rows (90.05, 95.86, 96.08, "
                f"97.12 %) and a dotted vertical line the anchored n = {runs[0]['n_ref']:,}.")


VARIANT_STYLE = {"vanilla": ("o", "-"), "fixed": ("s", "--"), "beta": ("^", "-."),
                 "online": ("D", ":")}


def bbnn(R, suffix: str = "") -> None:
    """Accuracy vs β per variant (both predictors) and the table at β* next to the slides'.

    `suffix` "" is the anchored arm, "_n1000" the n = 1,000 arm.
    """
    rows, curves = [], []
    for key, (label, pub_beta, pub_acc) in PUBLISHED_BBNN.items():
        runs = R.metrics(f"bbnn_{key}{suffix}")
        if not runs:
            continue
        for seed, m in enumerate(runs):
            for tag, pred in (("", "refit"), ("_mix", "mixture")):
                if f"test_acc{tag}" in m:
                    curves += [{"variant": label, "key": key, "predictor": pred, "β": b,
                                "acc": a, "seed": seed}
                               for b, a in zip(m["betas"], m[f"test_acc{tag}"])]
        row = {"algorithm": label, "published β*": pub_beta, "published acc [%]": pub_acc,
               "our β* (per seed)": ", ".join(f"{m['best_beta']:.0e}" for m in runs),
               "refit acc [%] (mean ± sd)": _mean_sd([m["acc"] for m in runs])}
        if "acc_mix" in runs[0]:
            row["mixture β* (per seed)"] = ", ".join(f"{m['best_beta_mix']:.0e}" for m in runs)
            row["mixture acc [%] (mean ± sd)"] = _mean_sd([m["acc_mix"] for m in runs])
        rows.append(row)
    if not rows:
        print(f"No β-BNN experiment of this arm was run in the '{R.profile}' profile.")
        return
    display(pd.DataFrame(rows))
    df = pd.DataFrame(curves)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), dpi=DPI, sharey=True)
    for ax, pred in zip(axes, ("refit", "mixture")):
        for key, (marker, ls) in VARIANT_STYLE.items():
            part = df[(df.key == key) & (df.predictor == pred)]
            if part.empty:
                continue
            g = part.groupby("β")["acc"]
            mean, lo, hi = g.mean(), g.min(), g.max()
            ax.plot(mean.index, mean.values, marker=marker, ls=ls, label=PUBLISHED_BBNN[key][0])
            ax.fill_between(mean.index, lo.values, hi.values, alpha=0.15)
        ax.set_xscale("log")
        ax.set(xlabel="β", ylabel="test accuracy [%]",
               title=("refitted posterior mean" if pred == "refit"
                      else "bootstrap mixture Θ as an ensemble (learned variants)"))
        ax.legend(fontsize=8)
    fig.tight_layout()
    summary = "; ".join(
        f"{PUBLISHED_BBNN[k][0]}: {g.mean():.1f} % at β = {b:.0e}"
        for k in VARIANT_STYLE
        for b, g in [_best_point(df[(df.key == k) & (df.predictor == "refit")])] if g is not None)
    show_figure(fig, alt="Test accuracy against β (log axis) for the four β-BNN variants, each "
                "with its own marker and line style (Vanilla circles solid, Fixed squares dashed, "
                "β-BNN triangles dash-dot, Online diamonds dotted); left the refitted posterior "
                "mean, right the bootstrap-mixture ensemble; bands span the seeds. Highest seed-"
                f"mean accuracy per variant: {summary}.")


def _best_point(part: pd.DataFrame):
    if part.empty:
        return None, None
    means = part.groupby("β")["acc"].mean()
    b = means.idxmax()
    return b, part[part["β"] == b]["acc"]


def _mean_sd(values: list[float]) -> str:
    return f"{np.mean(values):.2f} ± {np.std(values):.2f}"


def vid_mnist(R) -> None:
    """Accuracy vs examples per class for every method, and the VID gain over the Student."""
    if not R.runs("vid_mnist"):
        return
    runs = R.metrics("vid_mnist")
    print("teacher test accuracy per seed:", ", ".join(f"{m['teacher_acc']:.4f}" for m in runs))
    recs = [{"examples per class": k, "method": METHOD_NAMES[meth], "test accuracy [%]": 100 * a,
             "seed": s}
            for s, m in enumerate(runs) for meth, accs in m["acc"].items()
            for k, a in zip(m["per_class"], accs)]
    df = pd.DataFrame(recs)
    display(df.pivot_table(index="method", columns="examples per class",
                           values="test accuracy [%]", aggfunc="mean").round(2)
            .reindex(list(METHOD_NAMES.values())))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), dpi=DPI)
    sns.lineplot(df, x="examples per class", y="test accuracy [%]", hue="method", marker="o",
                 ax=axes[0], errorbar=("pi", 100))
    axes[0].set_xscale("log")
    axes[0].set_xticks(runs[0]["per_class"], [str(k) for k in runs[0]["per_class"]])
    axes[0].set_title("MLP student, CNN teacher (MNIST)")
    gains = np.array([m["vid_gain"] for m in runs]) * 100
    axes[1].bar([str(k) for k in runs[0]["per_class"]], gains.mean(0), color="C5")
    for g in gains:
        axes[1].plot([str(k) for k in runs[0]["per_class"]], g, "k.", ms=6)
    axes[1].axhline(0, color="k", lw=0.8)
    axes[1].set(xlabel="examples per class", ylabel="VID − Student [pp]",
                title="gain of VID over the Student (dots: seeds)")
    fig.tight_layout()
    ks = runs[0]["per_class"]
    show_figure(fig, alt="Left: MNIST MLP-student test accuracy against examples per class "
                f"({', '.join(map(str, ks))}) for {', '.join(METHOD_NAMES.values())}. Right: "
                "seed-mean gain of VID over the Student, "
                + ", ".join(f"{g:.1f} pp at {k}/class" for k, g in zip(ks, gains.mean(0))) + ".")


def vid_dynamics(R) -> None:
    """The per-element log-density E log φ(t|s) (= −L_VID) over training steps."""
    if not R.runs("vid_mnist"):
        return
    runs = R.metrics("vid_mnist")
    every = R.config("vid_mnist")["log_every"]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=DPI)
    for i, k in enumerate(runs[0]["per_class"]):
        traces = np.array([m["vid_bound"]["trace"][i] for m in runs])
        steps = np.arange(traces.shape[1]) * every
        ax.plot(steps, traces.mean(0), label=f"{k} per class")
    frac = R.config("vid_mnist")["early_frac"]
    ax.axvline(frac * steps[-1], color="k", ls=":", lw=1)
    ax.set(xlabel="training step", ylabel="−L_VID per element [nats]\n(MI bound − H(t), per dim)",
           title="VID bound on the conv-map hint during training")
    ax.legend()
    fig.tight_layout()
    shares = np.array([m["vid_bound"]["early_share"] for m in runs])
    show_figure(fig, alt="Seed-mean VID log-density per element of the conv-map hint over "
                "training steps, one line per data size; the dotted line marks the first "
                f"{frac:.0%} of training, in which the bound gained "
                + ", ".join(f"{s:.0%} of its total rise at {k}/class"
                            for k, s in zip(runs[0]["per_class"], shares.mean(0))) + ".")
    shares = np.array([m["vid_bound"]["early_share"] for m in runs])
    print(f"share of the total rise reached in the first {frac:.0%} of steps (mean over seeds): "
          + ", ".join(f"{k}/class: {s:.3f}" for k, s in zip(runs[0]["per_class"], shares.mean(0))))


PAPER_TABLES = {
    "vid_cifar10": ("CIFAR-10, WRN-40-2 → MLP (Ahn et al. Table 1)",
                    ["MLP-4096", "MLP-2048", "MLP-1024"],
                    {"Student": [70.60, 70.78, 70.90], "KD": [70.42, 70.53, 70.79],
                     "FitNet": [76.02, 74.08, 72.91], "VID": [85.18, 83.47, 78.57]}),
    "vid_cub200": ("CUB-200, ResNet-34 → ResNet-18 (Table 3), images per class",
                   ["29.95", "20", "10", "5"],
                   {"Student": [37.22, 24.33, 12.00, 7.09], "FitNet": [66.63, 56.63, 46.68, 31.04],
                    "AT": [54.62, 41.44, 28.90, 16.55], "NST": [55.01, 41.87, 23.76, 15.63],
                    "VID": [73.25, 67.20, 56.86, 46.21]}),
    "vid_mit67": ("MIT-67, ResNet-34 → VGG-9 (Table 4), images per class", ["80", "50", "25", "10"],
                  {"Student": [53.58, 43.96, 29.70, 15.97], "FitNet": [70.90, 64.70, 54.48, 40.82],
                   "AT": [60.90, 52.16, 42.76, 25.60], "NST": [55.60, 46.04, 35.22, 21.64],
                   "VID": [72.01, 67.01, 59.33, 45.90]}),
}


def paper_tables(R) -> None:
    """Published tables, with our numbers where a GPU run exists."""
    for name, (title, cols, table) in PAPER_TABLES.items():
        print(title)
        display(pd.DataFrame(table, index=cols).T)
        if not R.metrics(name):
            print(f"→ `{name}` never run here: it needs the data set and a CUDA GPU, and this "
                  "machine has neither; its claims are not_run.\n")
        else:
            display(pd.DataFrame(R.metrics(name)[0]["acc"]).T)
