"""Experiment 1 — the random-label phase transition and β*(N) (Achille & Soatto, JMLR 2018,
§7.1, Fig. 1 and Fig. 2 left).

For each N of `sizes` one stack of networks — one per β of the grid, all on the same N images
with the same uniformly random labels — is trained as one ensemble (`fit.fit_ensemble`); we
record the training error of the stochastic network and the information in the weights KL/N.
The theory (§7.1) predicts memorisation (error ≈ 0) for small β, under-fitting (≈ 90 %) for
large β, and a sharp switch before β = 1, because memorising a random label costs at least
ln 10 nats of weight information and saves at most ln 10 nats of cross-entropy; the switch
sits near β = 1 whatever N (Fig. 1). The KL at the fixed `beta_kl` (on the grid) gives
information vs N (Fig. 1).

The largest N is the main transition (`transition`); `by_size` has every N.
"""

from __future__ import annotations

from ibcore.context import RunContext
from replications.achille2018 import data, transition
from replications.achille2018.fit import evaluate, fit_ensemble


def run(cfg: dict, ctx: RunContext) -> dict:
    betas = sorted(float(b) for b in cfg["betas"])
    sizes = sorted(int(n) for n in cfg["sizes"])
    k_kl = betas.index(float(cfg["beta_kl"]))
    by_size: dict[str, list] = {k: [] for k in ("train_error", "kl_per_sample", "kl", "steps",
                                                "converged", "beta_star", "transition")}
    for j, n in enumerate(ctx.progress(sizes, desc="sizes")):
        split = data.subset(ctx.numpy_rng(0, n), n, "random", cfg["pool"])
        model, conv = fit_ensemble(cfg, ctx, split.x, split.y, betas, stream=j)
        ev = evaluate(model, split.x, split.y, n, cfg["eval_draws"])
        summary = transition.summarise(betas, ev["train_error"], cfg["beta_check"])
        for key in ("train_error", "kl_per_sample", "kl"):
            by_size[key].append(ev[key])
        by_size["steps"].append(conv["steps"])
        by_size["converged"].append(conv["converged"])
        by_size["beta_star"].append(summary["beta_star"])
        by_size["transition"].append(summary)
    flags = [c for row in by_size["converged"] for c in row]
    stars = by_size["beta_star"]
    return {
        "betas": betas,
        "sizes": sizes,
        "n_train": sizes[-1],
        "train_error": by_size["train_error"][-1],
        "kl_per_sample": by_size["kl_per_sample"][-1],
        "steps": by_size["steps"][-1],
        "converged": by_size["converged"][-1],
        "transition": by_size["transition"][-1],
        "by_size": by_size,
        "beta_star_spread": max(stars) / min(stars),
        "beta_kl": betas[k_kl],
        "kl_at_beta_kl": [row[k_kl] for row in by_size["kl"]],
        "error_at_beta_kl": [row[k_kl] for row in by_size["train_error"]],
        "max_error_at_beta_kl": max(row[k_kl] for row in by_size["train_error"]),
        "converged_fraction": sum(flags) / len(flags),
        "not_converged": [
            [n, b]
            for n, row in zip(sizes, by_size["converged"], strict=True)
            for b, c in zip(betas, row, strict=True)
            if not c
        ],
    }
