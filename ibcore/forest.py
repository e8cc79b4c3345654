"""A forest plot of a page's decided claims, in the style of replication projects.

One row per decided claim (Many Labs and ReScience show replications this way): the pass band
of the rule as a shaded bar, the published value as a diamond where it is a number, every
seed's statistic as a dot and the verdict interval as a line, coloured by the verdict. Claims
have different units, so each row is drawn on its own scale: the row is centred on its pass
boundary and scaled by the width of what it shows, and the axis reads "pass side" against
"fail side" rather than numbers. The exact numbers stay in the verdict table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

COLOURS = {"reproduced": "#2e7d32", "not_reproduced": "#c62828", "inconclusive": "#b7860b"}


def _row_scale(r: dict[str, Any]) -> tuple[float, float]:
    """(centre, scale) that map this claim's numbers onto roughly [-1, 1]."""
    lo, hi = r["pass_interval"]
    shown = [v for v in [*r["values"], *(r["ci"] or [])] if math.isfinite(v)]
    finite = [b for b in (lo, hi) if math.isfinite(b)]
    if len(finite) == 2:
        centre, half = (lo + hi) / 2, (hi - lo) / 2
    else:
        centre = finite[0] if finite else 0.0
        half = 0.0
    spread = max([abs(v - centre) for v in shown] + [half, 1e-12])
    return centre, spread


def decided(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims a forest plot shows: decided paper claims, in page order."""
    return [r for r in records if r["verdict"] != "not_run" and r.get("kind", "paper") == "paper"
            and r["values"]]


def forest_plot(records: Sequence[dict[str, Any]], title: str = ""):
    """A matplotlib Figure with one row per decided claim (see the module docstring)."""
    import matplotlib.pyplot as plt

    rows = decided(records)
    fig, ax = plt.subplots(figsize=(9.0, 0.38 * max(len(rows), 1) + 1.2))
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        centre, scale = _row_scale(r)
        lo, hi = r["pass_interval"]
        band = [max((lo - centre) / scale, -3.0), min((hi - centre) / scale, 3.0)]
        ax.barh(y, band[1] - band[0], left=band[0], height=0.7, color="#e3efe3", zorder=0)
        colour = COLOURS.get(r["verdict"], "#555555")
        vals = (np.asarray(r["values"], dtype=float) - centre) / scale
        ax.plot(np.clip(vals, -3, 3), np.full(len(vals), y), "o", ms=3.5, color=colour,
                alpha=0.55, zorder=2)
        if r["ci"]:
            ci = np.clip((np.asarray(r["ci"]) - centre) / scale, -3, 3)
            ax.plot(ci, [y, y], "-", lw=2.2, color=colour, zorder=3)
        if isinstance(r["published"], int | float) and not isinstance(r["published"], bool):
            ax.plot(np.clip((r["published"] - centre) / scale, -3, 3), y, "D", ms=6,
                    mfc="white", mec="black", zorder=4)
    ax.set_yticks(range(len(rows)))
    # 9.5 pt: the figure is scaled down to the page column, where 8 pt ids came out at about
    # 10 px, well below the page's own text
    ax.set_yticklabels([r["id"] for r in reversed(rows)], fontsize=9.5)
    ax.set_xlim(-3.2, 3.2)
    ax.set_xticks([])
    ax.set_xlabel("each row on its own scale: green band = pass interval of the rule; "
                  "dots = seeds; line = verdict interval; ◇ = published value", fontsize=9)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    if title:
        ax.set_title(title, fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
