"""The published numbers and the experiment grid, as data.

Mao et al. (CIKM 2021, arXiv 2108.06530), Tables 1 and 2: minimal MNIST test error (%) ± std
over runs and the epoch of the minimum. Fu et al. (NeurIPS 2022), MNIST MLP rows: test error (%)
at the best-validation epoch without and with NSR (their repository's README gives the same
numbers and the λ values). `claims.toml` holds the same numbers; a test keeps the two equal.
"""

from __future__ import annotations

from typing import NamedTuple


class Cell(NamedTuple):
    mean: float  # test error, %
    std: float
    epoch: int | None  # epoch of the minimum (Mao et al.); None where not reported


ARCHS = {2: [784, 100, 10], 3: [784, 256, 100, 10], 5: [784, 32, 32, 32, 32, 10]}
INITS = ("xavier", "he")
METHODS = ("vanilla", "lsuv", "ibci", "tie", "iim")

# (init, layers, method) -> Cell. IBCI appears in both tables with the same numbers.
MAO: dict[tuple[str, int, str], Cell] = {
    ("xavier", 2, "vanilla"): Cell(2.04, 0.03, 75),
    ("xavier", 2, "lsuv"): Cell(2.05, 0.06, 51),
    ("xavier", 2, "ibci"): Cell(1.93, 0.06, 60),
    ("xavier", 2, "tie"): Cell(2.04, 0.07, 58),
    ("xavier", 2, "iim"): Cell(2.07, 0.09, 84),
    ("xavier", 3, "vanilla"): Cell(1.82, 0.05, 52),
    ("xavier", 3, "lsuv"): Cell(1.80, 0.07, 63),
    ("xavier", 3, "ibci"): Cell(1.71, 0.09, 36),
    ("xavier", 3, "tie"): Cell(1.82, 0.03, 43),
    ("xavier", 3, "iim"): Cell(1.82, 0.05, 52),
    ("xavier", 5, "vanilla"): Cell(2.83, 0.16, 98),
    ("xavier", 5, "lsuv"): Cell(3.13, 0.17, 69),
    ("xavier", 5, "ibci"): Cell(2.53, 0.09, 78),
    ("xavier", 5, "tie"): Cell(2.68, 0.05, 82),
    ("xavier", 5, "iim"): Cell(2.57, 0.09, 84),
    ("he", 2, "vanilla"): Cell(2.03, 0.03, 65),
    ("he", 2, "lsuv"): Cell(2.00, 0.04, 70),
    ("he", 2, "ibci"): Cell(1.93, 0.07, 57),
    ("he", 2, "tie"): Cell(2.07, 0.06, 59),
    ("he", 2, "iim"): Cell(2.034, 0.09, 62),
    ("he", 3, "vanilla"): Cell(1.83, 0.05, 54),
    ("he", 3, "lsuv"): Cell(1.86, 0.07, 71),
    ("he", 3, "ibci"): Cell(1.73, 0.04, 35),
    ("he", 3, "tie"): Cell(1.83, 0.07, 42),
    ("he", 3, "iim"): Cell(1.856, 0.05, 55),
    ("he", 5, "vanilla"): Cell(2.76, 0.07, 80),
    ("he", 5, "lsuv"): Cell(2.90, 0.12, 77),
    ("he", 5, "ibci"): Cell(2.62, 0.08, 73),
    ("he", 5, "tie"): Cell(2.89, 0.11, 74),
    ("he", 5, "iim"): Cell(2.67, 0.12, 86),
}

# Fu et al. name nets by their number of layers including the input: MLP-3 = 784-100-10.
NSR_ARCHS = {3: [784, 100, 10], 4: [784, 256, 100, 10], 6: [784, 256, 128, 64, 32, 10]}
NSR_LAMBDA = {3: 0.02475, 4: 7.4865, 6: 0.0538}
# (net, "ce" | "nsr") -> Cell
FU: dict[tuple[int, str], Cell] = {
    (3, "ce"): Cell(3.09, 0.10, None),
    (3, "nsr"): Cell(2.80, 0.08, None),
    (4, "ce"): Cell(2.29, 0.07, None),
    (4, "nsr"): Cell(1.64, 0.04, None),
    (6, "ce"): Cell(2.44, 0.09, None),
    (6, "nsr"): Cell(1.76, 0.06, None),
}


SCORES = ("l2std", "minmax")  # the authors' campaign score, and our earlier one (an arm)
NSR_LAYERS = ("logits", "hidden")  # the authors' NSR layer, and our earlier one (an arm)


def mao_name(init: str, layers: int, method: str) -> str:
    """The published cell's key in `claims.toml` ([published.mao])."""
    return f"{init}_mlp{layers}_{method}"


def nsr_name(net: int, method: str) -> str:
    """The published row's key in `claims.toml` ([published.fu])."""
    return f"nsr_mlp{net}_{method}"


def mao_experiment(layers: int, score: str = "l2std") -> str:
    """The experiment that trains every init × method of one depth (one score arm)."""
    return f"mlp{layers}_{score}"


def nsr_experiment(net: int, layer: str = "logits") -> str:
    """The experiment that trains CE (and) CE + NSR of one net (one NSR-layer arm)."""
    return f"nsr_mlp{net}_{layer}"
