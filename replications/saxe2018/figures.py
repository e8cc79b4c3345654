"""Figures of the Saxe et al. (ICLR 2018) report, one function per experiment section.

Each takes the report's `Results` and prints a one-line note when its experiment was not run
in the profile being rendered.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

sns.set_theme(style="whitegrid", context="notebook")


def _first(R: Any, experiment: str) -> dict | None:
    runs = R.metrics(experiment)
    if not runs:
        print(f"`{experiment}` was not run in the {R.profile} profile.")
        return None
    return runs[0]


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
