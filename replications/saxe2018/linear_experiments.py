"""Linear-network experiments of Saxe et al. (ICLR 2018) with exact mutual information.

* `teacher_student` — §3, Figs. 3, 4A–B, 18: no compression in deep linear students, while
  overtraining raises the generalisation error E_g and lowers I(T;Y).
* `relevant_irrelevant` — §5, Fig. 6: inputs split into task-relevant and irrelevant parts.
* `linear111_snr` — App. I, Fig. 21: gradient SNR of a 1-1-1 linear network.

Every layer T_l = W_l…W_1 X + Z_l, Z_l ~ N(0, σ²_MI I) (Saxe et al. Eq. 6), with X ~ N(0, I/N_i),
so I(T_l;X) = ½ log|I + M Mᵀ/(N_i σ²_MI)| and I(T_l;Y) follow exactly from Gaussian formulas
(`ibcore.mi.gaussian`, App. G Eqs. 22–25).
"""

from __future__ import annotations

import numpy as np

from ibcore.context import RunContext
from ibcore.gradient_snr import snr_log10_drop
from ibcore.mi.gaussian import linear_channel_mi, linear_teacher_mi, subspace_mi
from replications.saxe2018.linear_nets import init_weights, make_teacher, products, train
from replications.saxe2018.snr_step import step_metrics


def teacher_student(cfg: dict, ctx: RunContext) -> dict:
    """One student (widths from cfg) trained by BGD or SGD; exact MI and E_g per epoch."""
    rng = ctx.numpy_rng(1)
    teacher = make_teacher(cfg["n_in"], cfg["snr"], rng)
    x, y = teacher.sample(cfg["n_train"], rng)
    widths = [cfg["n_in"], *cfg["hidden"], 1]
    ws = init_weights(widths, cfg["init_scale"], ctx.numpy_rng(2))
    s2, cov = cfg["mi_noise_var"], teacher.cov_x
    log: dict[str, list] = {"ixt": [], "ity": [], "eg": [], "train_mse": []}

    def record(epoch: int, ws: list[np.ndarray]) -> None:
        maps = products(ws)
        log["ixt"].append([linear_channel_mi(m, s2, cov) for m in maps])
        log["ity"].append([linear_teacher_mi(m, s2, teacher.w, teacher.noise_var, cov)
                           for m in maps])
        log["eg"].append(teacher.generalisation_error(maps[-1].ravel()))
        log["train_mse"].append(float(np.mean((x @ maps[-1].ravel() - y) ** 2)))

    epochs = train(ws, x, y, cfg["lr"], cfg["batch_size"], cfg["n_epochs"], cfg["n_log"],
                   ctx.torch_generator(3), record, lambda it: ctx.progress(it, desc="linear"))
    eg = np.array(log["eg"])
    ixt, ity = np.array(log["ixt"]).T, np.array(log["ity"]).T  # (layers, epochs)
    best = int(eg.argmin())
    return {
        "epochs": epochs,
        "eg": eg.tolist(),
        "neg_eg": (-eg).tolist(),
        "train_mse": log["train_mse"],
        "ixt": ixt.tolist(),
        "ity": ity.tolist(),
        "ity_output": ity[-1].tolist(),
        "eg_min_epoch": epochs[best],
        "eg_rise": float(eg[-1] - eg[best]),
        # I(T;Y) of the output layer after the E_g minimum minus at the end: > 0 means it fell
        "ity_fall_after_eg_min": float(ity[-1, best:].max() - ity[-1, -1]),
    }


def relevant_irrelevant(cfg: dict, ctx: RunContext) -> dict:
    """§5: I(T;X), I(T;X_relevant), I(T;X_irrelevant) of the first hidden layer over training."""
    rng = ctx.numpy_rng(1)
    k = cfg["n_relevant"]
    teacher = make_teacher(cfg["n_in"], cfg["snr"], rng, relevant=k)
    x, y = teacher.sample(cfg["n_train"], rng)
    ws = init_weights([cfg["n_in"], *cfg["hidden"], 1], cfg["init_scale"], ctx.numpy_rng(2))
    s2, cov = cfg["mi_noise_var"], teacher.cov_x
    rel, irr = list(range(k)), list(range(k, cfg["n_in"]))
    log: dict[str, list] = {"ixt": [], "rel": [], "irr": [], "train_mse": []}

    def record(epoch: int, ws: list[np.ndarray]) -> None:
        w1 = ws[0]
        log["ixt"].append(linear_channel_mi(w1, s2, cov))
        log["rel"].append(subspace_mi(w1, s2, rel, cov))
        log["irr"].append(subspace_mi(w1, s2, irr, cov))
        log["train_mse"].append(float(np.mean((x @ products(ws)[-1].ravel() - y) ** 2)))

    epochs = train(ws, x, y, cfg["lr"], cfg["batch_size"], cfg["n_epochs"], cfg["n_log"],
                   ctx.torch_generator(3), record, lambda it: ctx.progress(it, desc="rel/irr"))
    peak = int(np.argmax(log["irr"]))
    mse = np.array(log["train_mse"])
    return {
        "epochs": epochs,
        "ixt": log["ixt"],
        "ixt_relevant": log["rel"],
        "ixt_irrelevant": log["irr"],
        "train_mse": log["train_mse"],
        "irr_peak_epoch": epochs[peak],
        # relative fall of the training error after I(T;X_irrelevant) peaked
        "train_mse_fall_after_irr_peak": float((mse[peak] - mse[-1]) / mse[peak]),
    }


def _grads_111(w1: float, w2: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-sample gradients of ½(y − w2 w1 x)² for the 1-1-1 net: shape (samples, 2)."""
    r = w2 * w1 * x - y
    return np.stack([r * w2 * x, r * w1 * x], axis=1)


def linear111_snr(cfg: dict, ctx: RunContext) -> dict:
    """App. I: the gradient SNR of a 1-1-1 linear net drops although it cannot compress.

    With T = w1 X + Z, I(T;X) = ½ log(1 + w1²/σ²) depends on |w1| alone and so cannot fall
    while |w1| grows; we record both. Trained sample by sample (batch 1, plain SGD) on the
    shared trainer; the per-sample gradients of Eqs. 26–27 are exact (`_grads_111`).
    """
    rng = ctx.numpy_rng(1)
    x = rng.standard_normal(cfg["n_train"])
    y = cfg["teacher_w"] * x + np.sqrt(cfg["noise_var"]) * rng.standard_normal(cfg["n_train"])
    ws = [np.array([[cfg["init_scale"]]]), np.array([[cfg["init_scale"]]])]
    snr, ixt = [], []

    def record(epoch: int, ws: list[np.ndarray]) -> None:
        g = _grads_111(float(ws[0][0, 0]), float(ws[1][0, 0]), x, y)
        # Eqs. 26-27 for scalar weights: |mean| / std over samples
        snr.append(np.abs(g.mean(0)) / np.maximum(g.std(0), 1e-30))
        ixt.append(float(0.5 * np.log2(1 + ws[0][0, 0] ** 2 / cfg["mi_noise_var"])))

    epochs = train(ws, x[:, None], y, cfg["lr"], 1, cfg["n_epochs"], cfg["n_log"],
                   ctx.torch_generator(2), record, lambda it: ctx.progress(it, desc="1-1-1"))
    s = np.array(snr).T
    drop = snr_log10_drop(s)
    return {
        "epochs": epochs,
        "snr": s.tolist(),
        "ixt": ixt,
        "log10_drop": drop.tolist(),
        "min_log10_drop": float(drop.min()),
        **step_metrics(epochs, s),
    }
