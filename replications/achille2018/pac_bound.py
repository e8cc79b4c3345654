"""Experiment 4 — a PAC-Bayes bound from the weight IB Lagrangian (Achille & Soatto, JMLR 2018,
§4: at β = 1 the IB Lagrangian for the weights is a PAC-Bayes objective).

A Gaussian-posterior network (`noise = "mean_field"`, prior N(w₀, σ_p²) centred at the random
initialisation w₀, data-independent as the bound requires; σ_p fixed in the config, so no union
bound over σ_p) is trained at β = 1 on *binary* MNIST (digits 0–4 vs 5–9, the task of Dziugaite
& Roy, UAI 2017) with `fit.fit_ensemble` (a stack of one). The test error of its stochastic
(Gibbs) classifier is bounded three ways, all with δ split evenly between the PAC-Bayes theorem
and the Monte-Carlo estimate ê of the training error (`ibcore.pacbayes.mc_risk_upper`):

* Langford–Seeger: kl(ê ‖ e) ≤ (KL + ln(2√N/δ)) / N;
* McAllester: e ≤ ê + √((KL + ln(2√N/δ)) / 2N);
* the linear form of the paper's presentation (McAllester 2013, Thm. 2, for a loss in [0, 1]
  and λ > ½): e ≤ 1/(1 − 1/(2λ)) · [ê + λ/N · (KL + ln(1/δ))], with λ = `slide_lambda` fixed
  before running (λ = β = 1, where the bracket is the IB Lagrangian per sample with the 0–1 loss).

On a balanced binary task a classifier that guesses has error 0.5, so a bound is informative
(non-vacuous) only below 0.5.
"""

from __future__ import annotations

import math

from ibcore import pacbayes
from ibcore.context import RunContext
from ibcore.train.noisy_weights import sampled_error
from replications.achille2018 import data
from replications.achille2018.fit import evaluate, fit_ensemble


def linear_bound(emp_risk: float, kl: float, n: int, delta: float, lam: float) -> float:
    """1/(1 − 1/(2λ)) · [ê + λ (KL + ln 1/δ) / n] (McAllester 2013, Thm. 2), capped at 1."""
    if lam <= 0.5:
        raise ValueError(f"the linear bound needs λ > 1/2, got {lam}")
    return min(1.0, (emp_risk + lam * (kl + math.log(1 / delta)) / n) / (1 - 1 / (2 * lam)))


def run(cfg: dict, ctx: RunContext) -> dict:
    split = data.subset(
        ctx.numpy_rng(0), cfg["n_train"], "real", cfg["pool"], cfg["n_test"], binary=True
    )
    model, conv = fit_ensemble(cfg, ctx, split.x, split.y, [cfg["beta"]], stream=0, n_out=2)
    n, draws = cfg["n_train"], cfg["eval_draws"]
    ev = evaluate(model, split.x, split.y, n, draws)
    train_err, kl = ev["train_error"][0], ev["kl"][0]
    test_err = float(sampled_error(model, split.test_x, split.test_y, draws)[0])
    half = cfg["delta"] / 2
    bounds = pacbayes.gibbs_bound(train_err, n * draws, kl, n, half, half)
    bounds["linear"] = linear_bound(bounds["emp_risk_upper"], kl, n, half, cfg["slide_lambda"])
    return {
        "n_train": n,
        "kl": kl,
        "kl_per_sample": kl / n,
        "train_error": train_err,
        "test_error": test_err,
        "bound": bounds,
        "bound_minus_test_error": bounds["seeger"] - test_err,
        "steps": conv["steps"][0],
        "converged": conv["converged"][0],
    }
