"""Figures of the achille2018 report, one function per experiment section.

Each takes the report's `Results`, plots every seed (thin) and the seed mean (thick), gives the
figure an alt text that says what it shows (`ibcore.report.show_figure`), and prints a table
of the per-seed numbers. A section whose experiment was not run prints nothing.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ibcore.report import show_figure

LN10 = math.log(10)

CONVERGENCE_NOTE = (
    "Convergence: every 100 steps each network's objective is averaged over the window; a "
    "network has met the criterion when two consecutive window means differ by less than 1 % "
    "(after the minimum number of steps). The fraction below counts the (N, β) networks that "
    "met it before the step cap; a network that did not is listed and its numbers are those "
    "at the cap."
)


def _mean(runs: list[dict], get: Any) -> np.ndarray:
    return np.mean([np.asarray(get(r), dtype=float) for r in runs], axis=0)


def _random_labels_panel(R: Any, name: str, title: str) -> None:
    runs = R.runs(name)
    if not runs:
        return
    betas, sizes = runs[0]["betas"], runs[0]["sizes"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for j, n in enumerate(sizes):
        err = [r["by_size"]["train_error"][j] for r in runs]
        kl = [r["by_size"]["kl_per_sample"][j] for r in runs]
        for e, k in zip(err, kl, strict=True):
            ax1.plot(betas, e, color=f"C{j}", alpha=0.25, lw=0.8)
            ax2.plot(betas, k, color=f"C{j}", alpha=0.25, lw=0.8)
        ax1.plot(betas, np.mean(err, 0), "o-", color=f"C{j}", lw=2, label=f"N = {n}")
        ax2.plot(betas, np.mean(kl, 0), "o-", color=f"C{j}", lw=2, label=f"N = {n}")
    for ax in (ax1, ax2):
        ax.axvline(1.0, color="k", ls="--", lw=1)
        ax.axvline(1 / 3, color="grey", ls=":", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel("β")
    ax1.axhline(0.9, color="grey", lw=0.8)
    ax1.set(ylabel="training error (sampled weights)", title=f"{title}: training error")
    ax2.axhline(LN10, color="C2", ls="--", lw=1, label="ln 10")
    ax2.set(ylabel="KL(q ‖ p) / N  [nats per sample]", title="information in the weights")
    ax2.set_yscale("symlog", linthresh=0.1)
    ax1.legend(fontsize=8, loc="upper left")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    stars = np.mean([r["by_size"]["beta_star"] for r in runs], axis=0)
    star_text = ", ".join(f"β* ≈ {s:.2g} at N = {n}" for s, n in zip(stars, sizes, strict=True))
    main = _mean(runs, lambda r: r["train_error"])
    show_figure(
        fig,
        alt=f"{title}. Left: training error with random labels against β (log axis) for "
        f"N = {', '.join(map(str, sizes))}, {len(runs)} seeds each; at N = {sizes[-1]} the "
        f"mean error is {main[0]:.2f} at β = {betas[0]} and {main[-1]:.2f} at β = {betas[-1]}; "
        f"{star_text}; dashed line β = 1, dotted β = 1/3. Right: KL per sample against β.",
    )
    rows = []
    for i, r in enumerate(runs):
        for j, n in enumerate(sizes):
            t = r["by_size"]["transition"][j]
            rows.append({"seed": i, "N": n, "β*": t["beta_star"], "width": t["width"],
                         "error at β*/10": t["error_at_beta_star_over_10"],
                         "error at β = 3": t["error_at_beta_check"],
                         "converged": f"{sum(r['by_size']['converged'][j])}/{len(betas)}",
                         "max steps": max(r["by_size"]["steps"][j])})
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    print("\n" + CONVERGENCE_NOTE)
    frac = np.mean([r["converged_fraction"] for r in runs])
    print(f"fraction of (N, β) networks that met the convergence criterion: {frac:.3f}")
    for i, r in enumerate(runs):
        if r["not_converged"]:
            print(f"  seed {i} not converged (N, β): {r['not_converged']}")


def random_labels(R: Any) -> None:
    """Training error and KL/N vs β for every N (Fig. 2 left, Fig. 1), log-normal noise."""
    _random_labels_panel(R, "random_labels", "Log-normal noise (the paper's)")


def random_labels_gaussian(R: Any) -> None:
    """The same sweep with the Gaussian N(1, α) noise arm (Molchanov's KL)."""
    _random_labels_panel(R, "random_labels_gaussian", "Gaussian noise arm")


def dataset_size(R: Any) -> None:
    """KL at β = 0.1 vs N (Fig. 1), from the random-label sweep."""
    runs = R.runs("random_labels")
    if not runs:
        return
    ns = np.array(runs[0]["sizes"])
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for r in runs:
        ax.plot(ns, r["kl_at_beta_kl"], color="C0", alpha=0.3, lw=0.8)
    mean = _mean(runs, lambda r: r["kl_at_beta_kl"])
    ax.plot(ns, mean, "o-", color="C0", lw=2, label=f"KL at β = {runs[0]['beta_kl']}")
    ax.plot(ns, ns * LN10, "C2--", label="N · ln 10")
    ax.set(xscale="log", yscale="log", xlabel="N (random-label training samples)",
           ylabel="KL(q ‖ p)  [nats]", title="Information in the weights vs N")
    ax.legend(fontsize=8)
    fig.tight_layout()
    show_figure(
        fig,
        alt=f"KL in nats at β = {runs[0]['beta_kl']} against N on log-log axes, seed mean "
        + ", ".join(f"{m:.0f} at N = {n}" for m, n in zip(mean, ns, strict=True))
        + "; dashed line N·ln 10, the minimum to memorise N random labels.",
    )
    err = _mean(runs, lambda r: r["error_at_beta_kl"])
    print("training error at that β (seed mean): "
          + ", ".join(f"N = {n}: {e:.3f}" for n, e in zip(ns, err, strict=True)))


def label_information(R: Any) -> None:
    """KL per sample vs the fraction of corrupted labels at a fixed β (Fig. 2 right)."""
    runs = R.runs("label_information")
    if not runs:
        return
    fr = runs[0]["fractions"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for r in runs:
        ax1.plot(fr, r["kl_per_sample"], color="C0", alpha=0.3, lw=0.8)
        ax2.plot(fr, r["train_error"], color="C3", alpha=0.3, lw=0.8)
    kl = _mean(runs, lambda r: r["kl_per_sample"])
    base = kl[0]
    ax1.plot(fr, kl, "o-", color="C0", lw=2, label="seed mean")
    ax1.plot(fr, base + np.asarray(fr) * LN10, "C2--", label="real + p · ln 10")
    ax1.set(xlabel="fraction of corrupted labels p", ylabel="KL / N  [nats per sample]",
            title=f"Information in the weights, β = {runs[0]['beta']}")
    ax1.legend(fontsize=8)
    ax2.plot(fr, _mean(runs, lambda r: r["train_error"]), "o-", color="C3", lw=2)
    ax2.set(xlabel="fraction of corrupted labels p", ylabel="training error (sampled weights)",
            ylim=(0, 1), title="Fit")
    fig.tight_layout()
    show_figure(
        fig,
        alt=f"Left: KL per sample at β = {runs[0]['beta']} against the fraction of corrupted "
        "labels, seed mean " + ", ".join(f"{k:.2f}" for k in kl) + " nats for p = "
        + ", ".join(map(str, fr)) + "; dashed line real-label value plus p·ln 10. "
        "Right: training error of the stochastic network against p.",
    )
    rows = [{"seed": i, "random − real [nats/sample]": r["difference_random_minus_real"],
             "÷ ln 10": r["difference_over_ln10"], "random KL/N": r["random_kl_per_sample"],
             "real KL/N": r["real_kl_per_sample"], "random error": r["random_train_error"],
             "converged": f"{sum(r['converged'])}/{len(fr)}"} for i, r in enumerate(runs)]
    print(pd.DataFrame(rows).round(3).to_string(index=False))


def pac_bayes(R: Any) -> None:
    """PAC-Bayes bounds (three forms) against the measured errors, per seed."""
    runs = R.runs("pac_bayes")
    if not runs:
        return
    names = [("train error", lambda r: r["train_error"]), ("test error", lambda r: r["test_error"]),
             ("Langford–Seeger", lambda r: r["bound"]["seeger"]),
             ("McAllester", lambda r: r["bound"]["mcallester"]),
             ("linear (λ = 1)", lambda r: r["bound"]["linear"])]
    vals = np.array([[get(r) for _, get in names] for r in runs])
    fig, ax = plt.subplots(figsize=(7.5, 4))
    x = np.arange(len(names))
    ax.bar(x, vals.mean(0), color=["C0", "C1", "C2", "C3", "C4"], alpha=0.7)
    for row in vals:
        ax.plot(x, row, "k.", alpha=0.6)
    ax.axhline(0.5, color="k", ls="--", lw=1, label="0.5 (guessing)")
    ax.set_xticks(x, [n for n, _ in names])
    ax.set(ylim=(0, 1.05), ylabel="error rate (stochastic classifier)",
           title="Binary MNIST, β = 1: PAC-Bayes bounds vs errors")
    ax.legend(fontsize=8)
    fig.tight_layout()
    show_figure(
        fig,
        alt="Bars (seed means, dots per seed) of the training and test error of the β = 1 "
        "stochastic classifier and three PAC-Bayes bounds on its test error: "
        + ", ".join(f"{n} {v:.3f}" for (n, _), v in zip(names, vals.mean(0), strict=True))
        + "; dashed line at 0.5, the error of guessing.",
    )
    print(pd.DataFrame([{"seed": i, "KL [nats]": r["kl"], "KL/N": r["kl_per_sample"],
                         **{n: get(r) for n, get in names}, "steps": r["steps"],
                         "converged": r["converged"]} for i, r in enumerate(runs)])
          .round(4).to_string(index=False))


def fisher(R: Any) -> None:
    """Trace of the Fisher information vs epoch, follow-up setting and plain SGD."""
    runs = R.runs("fisher")
    if not runs:
        return
    ep = np.asarray(runs[0]["epochs"]) + 0.02  # epoch 0 on a log axis
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    labels = {"followup": "weight decay 5e-4, lr × 0.97/epoch", "plain": "no weight decay"}
    peaks, falls = {}, {}
    for j, arm in enumerate(("followup", "plain")):
        for r in runs:
            ax.plot(ep, r[arm]["trace"], color=f"C{j}", alpha=0.3, lw=0.8)
        ax.plot(ep, _mean(runs, lambda r, a=arm: r[a]["trace"]), "o-", color=f"C{j}", lw=2,
                label=labels[arm])
        peaks[arm] = np.mean([r[arm]["peak_epoch"] for r in runs])
        falls[arm] = np.mean([r[arm]["trace_normalised"][-1] for r in runs])
    ax.set(xscale="log", yscale="log", xlabel="epoch (+0.02)",
           ylabel="trace of the Fisher (y ~ p_w)", title="Fisher information over training")
    ax.legend(fontsize=8)
    fig.tight_layout()
    show_figure(
        fig,
        alt="Trace of the Fisher information of the weights against the training epoch (log "
        f"axes), {len(runs)} seeds: with weight decay the mean peak epoch is "
        f"{peaks['followup']:.2f} and the last value {falls['followup']:.2f} of the peak; "
        f"without, {peaks['plain']:.2f} and {falls['plain']:.2f}.",
    )
    rows = [{"seed": i, "arm": arm, "peak epoch": r[arm]["peak_epoch"],
             "final / peak": r[arm]["trace_normalised"][-1],
             "train error": r[arm]["train_error"], "test error": r[arm]["test_error"]}
            for i, r in enumerate(runs) for arm in ("followup", "plain")]
    print(pd.DataFrame(rows).round(3).to_string(index=False))
