"""One integer seed per run derives every random number generator.

Seeding python's `random`, numpy's legacy global state and torch together means code that
forgets to thread a generator through is still reproducible; code that can should prefer the
explicit generators returned here.
"""

from __future__ import annotations

import random

import numpy as np
import torch


def seed_everything(seed: int) -> None:
    """Seed python, numpy (global) and torch (CPU) from one integer."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def numpy_rng(seed: int, *stream: int) -> np.random.Generator:
    """An independent numpy Generator for `seed` and an optional sub-stream id.

    Sub-streams (e.g. one per epoch or per data split) stay independent of each other and
    of the order in which they are requested, unlike drawing sequentially from one RNG.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def torch_generator(seed: int, *stream: int) -> torch.Generator:
    """An independent torch CPU Generator for `seed` and an optional sub-stream id."""
    derived = int(np.random.SeedSequence([seed, *stream]).generate_state(1, dtype=np.uint64)[0])
    return torch.Generator().manual_seed(derived % 2**63)
