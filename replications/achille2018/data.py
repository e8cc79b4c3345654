"""MNIST subsets for the weight-information experiments: pooled pixels, real or random labels.

Achille & Soatto (JMLR 2018, §7.1) use CIFAR-10 with an All-CNN; on a shared 2-core CPU we use
MNIST, average-pooled by the config's `pool` factor: 4×4 pooling gives 7×7 = 49 inputs (the
quick profile's weight-information experiments), 2×2 gives 14×14 = 196 (the Fisher
experiment and the paper profile), 1 the full 28×28.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ibcore.data import mnist

N_CLASSES = 10


@dataclass(frozen=True)
class Split:
    """Training (and optionally test) tensors: x float32 (n, d), y int64 (n,)."""

    x: torch.Tensor
    y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def pool(x: np.ndarray, factor: int) -> np.ndarray:
    """Average-pool flat 28×28 images by `factor` (1 = unchanged)."""
    if factor == 1:
        return x
    side = 28 // factor
    img = x.reshape(-1, side, factor, side, factor)
    return img.mean(axis=(2, 4)).reshape(len(x), side * side)


def subset(
    rng: np.random.Generator,
    n_train: int,
    labels: str = "real",
    pool_factor: int = 2,
    n_test: int = 0,
    binary: bool = False,
) -> Split:
    """`n_train` training images drawn without replacement by `rng`, and `n_test` test images.

    labels: "real", or "random" (each training label replaced by a uniform draw from the 10
    classes, fixed for the whole run, as in Zhang et al. 2017 and Achille & Soatto §7.1).
    binary: relabel digits as 0 (0–4) vs 1 (5–9), the task of Dziugaite & Roy (2017).
    """
    data = mnist()
    idx = rng.choice(len(data.train_y), size=n_train, replace=False)
    y = data.train_y[idx].copy()
    test_y = data.test_y[:n_test].copy()
    if labels == "random":
        y = rng.integers(0, N_CLASSES, size=n_train)
    elif labels != "real":
        raise ValueError(f"labels must be 'real' or 'random', got {labels!r}")
    if binary:
        y, test_y = (y >= 5).astype(np.int64), (test_y >= 5).astype(np.int64)
    return Split(
        x=torch.from_numpy(pool(data.train_x[idx], pool_factor)),
        y=torch.from_numpy(y.astype(np.int64)),
        test_x=torch.from_numpy(pool(data.test_x[:n_test], pool_factor)),
        test_y=torch.from_numpy(test_y.astype(np.int64)),
    )


def corrupted_labels(
    rng: np.random.Generator, y: torch.Tensor, fractions: list[float]
) -> torch.Tensor:
    """One label vector per corruption fraction p: a fraction p of the samples (⌊pN⌉ of them)
    get a uniform random label (Zhang et al. 2017; Achille & Soatto Fig. 2 right). The sets are
    nested (the samples corrupted at p are among those at any larger p) and a corrupted sample
    has the same random label at every level, so the levels differ only by how many. (L, N).
    """
    n = len(y)
    order = rng.permutation(n)
    random = torch.from_numpy(rng.integers(0, N_CLASSES, size=n).astype(np.int64))
    out = []
    for p in fractions:
        yy = y.clone()
        idx = torch.from_numpy(order[: round(p * n)])
        yy[idx] = random[idx]
        out.append(yy)
    return torch.stack(out)
