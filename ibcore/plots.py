"""Figure helpers shared by every report: one theme, information planes coloured by epoch, seed
bands.

- `use_theme()` — the suite's one look (seaborn "whitegrid", notebook context, the report's
  figure size); `ibcore.notebook` applies it on import, so report code does not set a theme.
- `info_plane(ax, ixt, ity, epochs)` — the information plane of Shwartz-Ziv & Tishby (2017,
  Fig. 3) as Saxe et al. (2018, Fig. 1) draw it: one curve per layer, points coloured by the
  logged epoch on a log scale, each layer labelled at its last point.
- `epoch_colorbar(fig, mappable, axes)` — the colour bar that goes with `info_plane`.
- `seed_band(ax, x, per_seed)` — the mean over seeds with a band of ± one standard deviation
  (or the full range), so a reader sees the spread a verdict's interval is built from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LogNorm, Normalize

#: the colour map of epochs on every information plane (perceptually uniform, print-safe)
EPOCH_CMAP = "viridis"


def use_theme() -> None:
    """Apply the suite's single figure theme (idempotent)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update({"figure.dpi": 90, "savefig.dpi": 90, "figure.figsize": (7.5, 4.2)})


def epoch_norm(epochs: Sequence[float]) -> Normalize:
    """A log colour scale from epoch 1 to the last logged epoch (epoch 0 is drawn as 1)."""
    last = float(np.max(epochs)) if len(epochs) else 1.0
    return LogNorm(vmin=1.0, vmax=max(last, 2.0))


def _layers(values: Mapping[str, Sequence[float]] | Sequence[Sequence[float]]
            ) -> list[tuple[str, np.ndarray]]:
    if isinstance(values, Mapping):
        return [(str(k), np.asarray(v, dtype=float)) for k, v in values.items()]
    return [(f"T{i + 1}", np.asarray(v, dtype=float)) for i, v in enumerate(values)]


def info_plane(
    ax: Axes,
    ixt: Mapping[str, Sequence[float]] | Sequence[Sequence[float]],
    ity: Mapping[str, Sequence[float]] | Sequence[Sequence[float]],
    epochs: Sequence[float],
    norm: Normalize | None = None,
    xlabel: str = "I(X;T) [bits]",
    ylabel: str = "I(T;Y) [bits]",
) -> ScalarMappable:
    """Draw one information plane on `ax`; returns the mappable for `epoch_colorbar`.

    `ixt` and `ity` hold one series per layer (a mapping layer name → series, or a list of
    series named T1, T2, …), each with one value per entry of `epochs`. Layer labels sit just
    right of each curve's last point on a white box, so neighbouring labels stay legible.
    """
    epochs_arr = np.maximum(np.asarray(epochs, dtype=float), 1.0)
    norm = norm or epoch_norm(epochs_arr)
    xs, ys = _layers(ixt), _layers(ity)
    if [n for n, _ in xs] != [n for n, _ in ys]:
        raise ValueError("info_plane: ixt and ity name different layers")
    for (name, x), (_, y) in zip(xs, ys):
        if x.shape != epochs_arr.shape or y.shape != epochs_arr.shape:
            raise ValueError(f"info_plane: layer {name} has {x.size}/{y.size} points for "
                             f"{epochs_arr.size} epochs")
        ax.plot(x, y, color="0.75", linewidth=0.8, zorder=1)
        ax.scatter(x, y, c=epochs_arr, cmap=EPOCH_CMAP, norm=norm, s=14, zorder=2)
        ax.annotate(name.replace("layer", "T"), (x[-1], y[-1]), xytext=(4, 0),
                    textcoords="offset points", fontsize=7, va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ScalarMappable(norm=norm, cmap=EPOCH_CMAP)


def epoch_colorbar(fig, mappable: ScalarMappable, axes) -> None:
    """The epoch colour bar beside `axes` (one or an array of axes)."""
    fig.colorbar(mappable, ax=axes, label="epoch (log scale)", shrink=0.8)


def seed_band(
    ax: Axes,
    x: Sequence[float],
    per_seed: Sequence[Sequence[float]],
    label: str | None = None,
    color: str | None = None,
    spread: str = "sd",
    **line_kw,
) -> None:
    """Mean over seeds (rows of `per_seed`) as a line, with a band: ± one standard deviation
    (`spread="sd"`, ddof = 1; no band for one seed) or the min–max range (`spread="range"`)."""
    values = np.asarray(per_seed, dtype=float)
    if values.ndim != 2 or values.shape[1] != len(x):
        raise ValueError(f"seed_band: need (seeds, {len(x)}) values, got {values.shape}")
    if spread not in ("sd", "range"):
        raise ValueError(f"seed_band: spread must be 'sd' or 'range', got {spread!r}")
    mean = values.mean(axis=0)
    (line,) = ax.plot(x, mean, label=label, color=color, **line_kw)
    if values.shape[0] < 2:
        return
    if spread == "sd":
        sd = values.std(axis=0, ddof=1)
        lo, hi = mean - sd, mean + sd
    else:
        lo, hi = values.min(axis=0), values.max(axis=0)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
