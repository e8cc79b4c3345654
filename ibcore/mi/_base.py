"""Common base class of the estimator classes (scikit-learn conventions).

Hyper-parameters are stored verbatim by ``__init__`` (no work, no validation there, as in
scikit-learn); they are checked when :meth:`Estimator.estimate` runs. ``units`` tells the
registry whether ``estimate`` returns bits (mutual information) or another dependence scale.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from typing import Any, ClassVar

LN2 = 0.6931471805599453  # natural log of 2: nats → bits


class Estimator(ABC):
    """Base class: parameter introspection, ``repr`` and the units tag."""

    units: ClassVar[str] = "bits"
    #: whether the family defines an entropy estimator (``entropy(x)``)
    has_entropy: ClassVar[bool] = False

    def get_params(self) -> dict[str, Any]:
        """Hyper-parameters by name, read from the ``__init__`` signature."""
        names = [
            p for p in inspect.signature(type(self).__init__).parameters if p != "self"
        ]
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> Estimator:
        """Change hyper-parameters in place (unknown names are an error)."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {key!r}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    @abstractmethod
    def estimate(self, x: Any, y: Any) -> float:
        """The estimator's value for samples x, y (bits unless ``units`` says otherwise)."""

    def ixt(self, t: Any, inputs: Any | None = None) -> float:
        """I(X;T) of a deterministic layer T = f(X) evaluated on the data set X.

        ``t`` holds the layer's activations, one row per input (Shwartz-Ziv & Tishby 2017,
        Sec. 2.3). ``inputs`` are the rows of X; ``None`` means every input is distinct, so
        X is the sample index. Each family defines the quantity its literature uses (see
        the subclass); the base class refuses, because for a deterministic continuous
        layer I(X;T) is infinite and a density estimator has nothing finite to return.
        """
        raise ValueError(
            f"{type(self).__name__} defines no I(X;T) of a deterministic layer; use "
            "binning, edge, kde or ksg (with noise_std), or hsic (with inputs)"
        )
