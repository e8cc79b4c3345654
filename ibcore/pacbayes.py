"""PAC-Bayes bounds on the error of a stochastic (Gibbs) classifier Q.

With probability ≥ 1 − δ over an i.i.d. training set of size n, simultaneously for all
posteriors Q over the weights and a prior P fixed before seeing the data,

* Langford–Seeger (Seeger 2002, Thm. 1; Maurer 2004 for the ln(2√n/δ) term):
      kl(ê_Q ‖ e_Q) ≤ (KL(Q ‖ P) + ln(2√n / δ)) / n,
  so e_Q ≤ kl⁻¹(ê_Q, ·), the largest p with kl(ê_Q ‖ p) under the right-hand side;
* McAllester (1999; in the form of Maurer 2004), its Pinsker relaxation:
      e_Q ≤ ê_Q + √((KL(Q ‖ P) + ln(2√n / δ)) / (2n)).

ê_Q itself is estimated by Monte Carlo; `mc_risk_upper` bounds it by the Chernoff kl-bound
(Langford & Caruana 2002), as Dziugaite & Roy (UAI 2017, §3) do. All KLs in nats; kl is the
binary KL divergence between Bernoulli means.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq

_EPS = 1e-12


def binary_kl(q: float, p: float) -> float:
    """kl(q ‖ p) = q ln(q/p) + (1−q) ln((1−q)/(1−p)) for Bernoulli means, in nats."""
    if not (0.0 <= q <= 1.0 and 0.0 <= p <= 1.0):
        raise ValueError(f"Bernoulli means must lie in [0, 1], got q={q}, p={p}")
    p = min(max(p, _EPS), 1.0 - _EPS)
    out = 0.0
    if q > 0:
        out += q * math.log(q / p)
    if q < 1:
        out += (1 - q) * math.log((1 - q) / (1 - p))
    return out


def kl_inverse_upper(q: float, budget: float) -> float:
    """max{p ∈ [q, 1] : kl(q ‖ p) ≤ budget} (root found with scipy's brentq)."""
    if budget < 0:
        raise ValueError(f"budget must be non-negative, got {budget}")
    if q >= 1.0 or binary_kl(q, 1.0 - _EPS) <= budget:
        return 1.0
    return brentq(lambda p: binary_kl(q, p) - budget, q, 1.0 - _EPS, xtol=1e-12)


def complexity(kl: float, n: int, delta: float) -> float:
    """(KL + ln(2√n/δ)) / n, the right-hand side shared by both bounds."""
    if n <= 0 or not 0 < delta < 1 or kl < 0:
        raise ValueError(f"need n > 0, 0 < delta < 1, kl ≥ 0; got n={n}, delta={delta}, kl={kl}")
    return (kl + math.log(2 * math.sqrt(n) / delta)) / n


def seeger_bound(emp_risk: float, kl: float, n: int, delta: float) -> float:
    """Langford–Seeger / Catoni-type kl bound on the Gibbs risk e_Q."""
    return kl_inverse_upper(emp_risk, complexity(kl, n, delta))


def mcallester_bound(emp_risk: float, kl: float, n: int, delta: float) -> float:
    """McAllester's square-root bound on e_Q (never tighter than `seeger_bound`), capped at 1."""
    return min(1.0, emp_risk + math.sqrt(complexity(kl, n, delta) / 2))


def mc_risk_upper(estimate: float, n_draws: int, delta: float) -> float:
    """Upper bound (prob. ≥ 1 − δ) on ê_Q from `n_draws` independent Bernoulli draws whose
    mean is `estimate` (Chernoff: kl(estimate ‖ ê_Q) ≤ ln(1/δ) / n_draws)."""
    return kl_inverse_upper(estimate, math.log(1 / delta) / n_draws)


def gibbs_bound(
    mc_estimate: float, n_draws: int, kl: float, n: int, delta: float, delta_mc: float
) -> dict[str, float]:
    """Bounds on e_Q holding with prob. ≥ 1 − δ − δ_mc: first ê_Q ≤ `mc_risk_upper`, then the
    PAC-Bayes bounds applied to that upper value (both are monotone in the empirical risk)."""
    emp_upper = mc_risk_upper(mc_estimate, n_draws, delta_mc)
    return {
        "emp_risk_upper": emp_upper,
        "seeger": seeger_bound(emp_upper, kl, n, delta),
        "mcallester": mcallester_bound(emp_upper, kl, n, delta),
    }
