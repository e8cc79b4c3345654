"""Exact mutual information of the EDGE paper's test distributions, by 1-D quadrature.

Noshad, Zeng & Hero (ICASSP 2019, arXiv:1801.09125), Sec. 6 (Fig. 2-3) test EDGE on

* **uniform noise**: X ~ N(0, I_2), Y = X + a U, U ~ U([0, 1]^2), a in {1/10, 1/5, 1/2, 1}.
  The two coordinates are independent pairs, so I(X;Y) = 2 I(X_1; Y_1) with
  I(X_1;Y_1) = h(Y_1) - h(Y_1 | X_1) = h(Y_1) - log a, and Y_1 has the density
  p(y) = [Phi(y) - Phi(y - a)] / a (a Gaussian smeared by a uniform of width a).
* **Gaussian mixture**: X uniform on {1, 2, 3, 4}, Y | X = x ~ N([x/2, 0, 0, 0], I_4).
  Coordinates 2-4 of Y are independent of X, so I(X;Y) = I(X;Y_1) = h(Y_1) - h(N(0, 1)),
  Y_1 an equal-weight mixture of N(x/2, 1). (The paper does not state p(x); we take it
  uniform.)

Both reduce to the differential entropy of a 1-D density, integrated with scipy.integrate.quad.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate
from scipy.stats import norm

LOG2E = 1.0 / np.log(2.0)


def entropy_1d(pdf: Callable[[float], float], lo: float, hi: float) -> float:
    """Differential entropy -int p log2 p in bits of a density negligible outside [lo, hi]."""

    def integrand(y: float) -> float:
        p = pdf(y)
        return -p * np.log(p) if p > 0 else 0.0

    # split at 0 so quad sees the (possibly sharp) bulk of the density on both sides
    val = sum(
        integrate.quad(integrand, a, b, limit=400, epsabs=1e-12, epsrel=1e-10)[0]
        for a, b in ((lo, 0.0), (0.0, hi))
    )
    return val * LOG2E


def uniform_noise_mi(a: float, dim: int = 2) -> float:
    """I(X;Y) in bits for X ~ N(0, I_dim), Y = X + a U([0,1]^dim) (per-coordinate sum)."""
    if a <= 0:
        raise ValueError(f"noise width a must be positive, got {a}")

    def pdf(y: float) -> float:
        return float((norm.cdf(y) - norm.cdf(y - a)) / a)

    h_y = entropy_1d(pdf, -12.0, 12.0 + a)
    return dim * (h_y - np.log2(a))


def mixture_mi(means: tuple[float, ...] = (0.5, 1.0, 1.5, 2.0)) -> float:
    """I(X;Y) in bits for X uniform over len(means) values, Y_1 | X ~ N(mean_x, 1)."""
    mu = np.asarray(means, dtype=float)

    def pdf(y: float) -> float:
        return float(norm.pdf(y - mu).mean())

    h_y = entropy_1d(pdf, float(mu.min()) - 12.0, float(mu.max()) + 12.0)
    return h_y - 0.5 * np.log2(2.0 * np.pi * np.e)


@dataclass(frozen=True)
class TestDistribution:
    """A sampler with its exact MI in bits."""

    name: str
    sample: Callable[[int, np.random.Generator], tuple[np.ndarray, np.ndarray]]
    true_mi: Callable[[], float]


def _uniform_noise(a: float) -> TestDistribution:
    def sample(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        x = rng.standard_normal((n, 2))
        return x, x + a * rng.uniform(size=(n, 2))

    return TestDistribution(f"uniform_a{a:g}", sample, lambda: uniform_noise_mi(a))


def _mixture() -> TestDistribution:
    def sample(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        x = rng.integers(1, 5, size=n)
        y = rng.standard_normal((n, 4))
        y[:, 0] += x / 2.0
        # X is discrete: integer codes tell the estimators so
        return x.reshape(-1, 1).astype(np.int64), y

    return TestDistribution("mixture", sample, mixture_mi)


#: name -> distribution; the uniform widths are the paper's a in {1/10, 1/5, 1/2, 1}.
DISTRIBUTIONS: dict[str, TestDistribution] = {
    d.name: d for d in [*(_uniform_noise(a) for a in (0.1, 0.2, 0.5, 1.0)), _mixture()]
}
