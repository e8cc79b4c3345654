"""The report's opening: the paper's question answered from the measured verdicts.

Saxe et al. (ICLR 2018) ask whether compression is general (§2–3), needed for generalisation
(§3, Fig. 4), caused by SGD noise (§4) and compatible with fitting (§5). Each sentence below is
assembled from the verdicts of the claims that bear on it, so it cannot disagree with the
table.
"""

from __future__ import annotations

from typing import Any

from IPython.display import Markdown, display

WORDS = {"reproduced": "reproduced", "not_reproduced": "not reproduced",
         "inconclusive": "inconclusive", "not_run": "not run"}

# question → the claims that bear on it
GROUPS = {
    "tanh compresses (binning)": ["szt_tanh_binning_compresses",
                                  "szt_tanh_torchinit_binning_compresses",
                                  "gd_tanh_sgd_compresses", "gd_tanh_bgd_compresses"],
    "ReLU and linear networks do not compress": [
        "szt_relu_binning_no_compression", "szt_relu_kde_no_compression",
        "linear_bgd_no_compression", "linear_sgd_no_compression", "linear_deep_no_compression"],
    "compression does not need gradient noise": ["gd_tanh_bgd_compresses",
                                                 "gd_tanh_planes_similar",
                                                 "gd_relu_planes_similar"],
    "the gradient SNR drops in a step": ["gd_tanh_sgd_snr_step", "gd_tanh_bgd_snr_step",
                                         "gd_relu_sgd_snr_step", "gd_relu_bgd_snr_step",
                                         "linear111_snr_step"],
}


def _count(vs: list[Any]) -> str:
    n: dict[str, int] = {}
    for v in vs:
        n[v.verdict] = n.get(v.verdict, 0) + 1
    return ", ".join(f"{n[k]} {WORDS[k]}" for k in WORDS if n.get(k))


def answer(R: Any) -> None:
    """The verdicts grouped by the paper's four questions. The counts over all claims and the
    reason for every claim that did not reproduce follow in the shared verdict paragraph
    above the table (`Results.verdict_table`), so they are not repeated here."""
    verdicts = {v.claim.id: v for v in R.verdict_list}
    parts = []
    for question, ids in GROUPS.items():
        vs = [verdicts[i] for i in ids if i in verdicts]
        if vs:
            parts.append(f"*{question}*: {_count(vs)} of {len(vs)}")
    display(Markdown("By question — " + "; ".join(parts) + "."))
