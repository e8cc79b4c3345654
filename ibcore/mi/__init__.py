"""Mutual-information estimators for information-bottleneck studies.

Protocol (see docs/CONTRACTS.md)::

    ibcore.mi.estimate(x, y, method="ksg", **params) -> float   # bits
    ibcore.mi.entropy(x, method="binning", **params) -> float   # bits
    ibcore.mi.dependence(x, y, method="hsic", **params) -> float  # not bits
    ibcore.mi.ixt(t, method="binning", inputs=None, **params) -> float  # I(X;T) of a layer

``x`` and ``y`` are numpy arrays or torch tensors of shape (n_samples, n_features), 1-D
meaning one feature; integer arrays are discrete codes. Every method is a class in
:data:`REGISTRY` (scikit-learn style: hyper-parameters in ``__init__``, work in
``estimate``); the module functions only look the class up and forward ``params``.

========  ==========================================  ======
method    family (module)                             units
========  ==========================================  ======
binning   plug-in on equal-width bins (binning)       bits
kde       Kolchinsky-Tracey mixture bounds (kde)      bits
gaussian  Gaussian plug-in / exact formulas (gaussian) bits
ksg       Kraskov-Stoegbauer-Grassberger (ksg)        bits
edge      ensemble dependence graphs, EDGE (edge)     bits
hsic      Hilbert-Schmidt independence (hsic)         hsic
========  ==========================================  ======

Test and benchmark data with closed-form MI: :mod:`ibcore.mi.synthetic`.
"""

from __future__ import annotations

from typing import Any

from ._base import Estimator
from .binning import BinningMI
from .edge import EdgeMI
from .gaussian import GaussianMI, gaussian_mi_from_cov
from .hsic import HSIC
from .kde import KDEMI
from .ksg import KSGMI

__all__ = [
    "REGISTRY",
    "Estimator",
    "BinningMI",
    "KDEMI",
    "GaussianMI",
    "KSGMI",
    "EdgeMI",
    "HSIC",
    "gaussian_mi_from_cov",
    "get_estimator",
    "estimate",
    "entropy",
    "dependence",
    "ixt",
]

#: method name -> estimator class; ``cls.units`` is "bits" for MI, "hsic" otherwise.
REGISTRY: dict[str, type[Estimator]] = {
    "binning": BinningMI,
    "kde": KDEMI,
    "gaussian": GaussianMI,
    "ksg": KSGMI,
    "edge": EdgeMI,
    "hsic": HSIC,
}


def get_estimator(method: str, **params: Any) -> Estimator:
    """Instantiate the registered estimator ``method`` with hyper-parameters ``params``."""
    try:
        cls = REGISTRY[method]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown method {method!r}; available: {', '.join(sorted(REGISTRY))}"
        ) from None
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"bad parameters for method {method!r}: {exc}") from None


def estimate(x: Any, y: Any, method: str = "ksg", **params: Any) -> float:
    """I(X;Y) in bits with the estimator ``method`` (see :data:`REGISTRY`)."""
    est = get_estimator(method, **params)
    if est.units != "bits":
        raise ValueError(
            f"method {method!r} measures dependence in {est.units!r} units, not mutual "
            f"information in bits; use ibcore.mi.dependence(x, y, method={method!r})"
        )
    return float(est.estimate(x, y))


def entropy(x: Any, method: str = "binning", **params: Any) -> float:
    """H(X) in bits (differential for continuous estimators) with ``method``."""
    est = get_estimator(method, **params)
    if not est.has_entropy:
        raise ValueError(f"method {method!r} defines no entropy estimator")
    return float(est.entropy(x))  # type: ignore[attr-defined]


def dependence(x: Any, y: Any, method: str = "hsic", **params: Any) -> float:
    """A dependence measure that is not mutual information (units given by the class)."""
    est = get_estimator(method, **params)
    if est.units == "bits":
        raise ValueError(
            f"method {method!r} estimates mutual information; use ibcore.mi.estimate"
        )
    return float(est.estimate(x, y))


def ixt(t: Any, method: str = "binning", inputs: Any | None = None, **params: Any) -> float:
    """I(X;T) of a deterministic layer T = f(X) with the estimator family ``method``.

    ``t``: the layer's activations on the data set, one row per input; ``inputs``: the
    input rows (``None``: all distinct, X is the sample index; HSIC needs them). Each family
    computes the quantity of its literature (see ``Estimator.ixt`` of the class); the
    units are the class's ``units`` ("hsic" for HSIC, bits otherwise).
    """
    return float(get_estimator(method, **params).ixt(t, inputs))
