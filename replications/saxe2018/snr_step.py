"""Is the drop of the gradient SNR a *step*? (Saxe et al. 2018, App. I, Figs. 20–21.)

The paper (after Shwartz-Ziv & Tishby 2017, §3.4) describes the per-layer gradient
signal-to-noise ratio as high early in training and dropping, step-like, to a low level. A drop
alone (max vs late mean) happens in any run that converges, so here a step needs all of:

1. a drop D = max(log₁₀ SNR) − mean(log₁₀ SNR over the last quarter of logged epochs) of at
   least `MIN_DROP` decades;
2. an early plateau: the epochs at which log₁₀ SNR is within 20 % of D of its maximum (above
   L + 0.8 D, L the late level) span at least `MIN_PLATEAU` decades of epochs;
3. a late plateau: from the first epoch after the high phase at which log₁₀ SNR is at most
   L + 0.2 D, it stays there to the end, for at least `MIN_PLATEAU` decades of epochs;
4. the transition, from the last epoch above L + 0.8 D to the first of the late plateau, is
   its *width* in decades of epochs (log₁₀ t_lo − log₁₀ t_hi).

A layer that fails 1–3 gets width `NO_STEP`. Epoch 0 is left out (log time axis).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_DROP = 0.5  # decades
MIN_PLATEAU = 0.5  # decades of epochs
NO_STEP = 99.0  # width of a layer without a step (JSON has no inf)


def step_of(epochs: Sequence[int], snr: Sequence[float]) -> dict[str, float]:
    """Step statistics of one layer's SNR series (see the module docstring)."""
    t = np.asarray(epochs, dtype=float)
    keep = t >= 1
    t, s = t[keep], np.log10(np.maximum(np.asarray(snr, dtype=float)[keep], 1e-30))
    late = s[-max(1, len(s) // 4):].mean()
    drop = float(s.max() - late)
    out = {"drop": drop, "t_hi": float("nan"), "t_lo": float("nan"), "early_plateau": 0.0,
           "late_plateau": 0.0, "width": NO_STEP}
    if drop < MIN_DROP:
        return _finite(out)
    high = np.flatnonzero(s >= late + 0.8 * drop)
    i_hi = int(high[-1])
    low_after = [j for j in range(i_hi + 1, len(s)) if np.all(s[j:] <= late + 0.2 * drop)]
    if not low_after:
        return _finite(out)
    i_lo = low_after[0]
    out.update(t_hi=float(t[i_hi]), t_lo=float(t[i_lo]),
               early_plateau=float(np.log10(t[i_hi]) - np.log10(t[high[0]])),
               late_plateau=float(np.log10(t[-1]) - np.log10(t[i_lo])))
    if out["early_plateau"] >= MIN_PLATEAU and out["late_plateau"] >= MIN_PLATEAU:
        out["width"] = float(np.log10(t[i_lo]) - np.log10(t[i_hi]))
    return _finite(out)


def _finite(d: dict[str, float]) -> dict[str, float]:
    return {k: (v if np.isfinite(v) else -1.0) for k, v in d.items()}


def step_metrics(epochs: Sequence[int], snr_by_layer: np.ndarray) -> dict:
    """Per-layer step statistics and `max_step_width`, the widest transition over layers
    (`NO_STEP` when some layer has no step)."""
    steps = [step_of(epochs, row) for row in np.asarray(snr_by_layer)]
    return {"step": {f"layer{i + 1}": st for i, st in enumerate(steps)},
            "max_step_width": max(st["width"] for st in steps)}
