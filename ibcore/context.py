"""The object an experiment function receives: its seed, RNGs, progress bars, array storage."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import torch
from tqdm.auto import tqdm

from ibcore.seeding import numpy_rng, torch_generator

T = TypeVar("T")


@dataclass
class RunContext:
    """Per-run services handed to `run(cfg, ctx)`.

    `arrays` collects what `save_arrays` receives; the runner writes them to `arrays.npz`
    beside `metrics.json` in the same atomic step. `device` ("cpu" or "cuda", from
    `ibrep run --device`) is where experiments should put their models and data; random
    numbers are still drawn on the CPU generators below, so the draws do not depend on it.
    """

    seed: int
    device: str = "cpu"
    show_progress: bool | None = None  # None: only when stderr is a terminal
    label: str = ""
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def rng(self) -> np.random.Generator:
        """A numpy Generator derived from the seed (a fresh one, stream 0, per access)."""
        return numpy_rng(self.seed)

    def numpy_rng(self, *stream: int) -> np.random.Generator:
        """An independent numpy Generator for a named sub-stream of this run's seed."""
        return numpy_rng(self.seed, *stream)

    def torch_generator(self, *stream: int) -> torch.Generator:
        """An independent torch Generator for a sub-stream of this run's seed."""
        return torch_generator(self.seed, *stream)

    def progress(
        self, iterable: Iterable[T], desc: str = "", total: int | None = None, **kw: Any
    ) -> Iterator[T]:
        """Wrap an iterable in a tqdm bar; silent when not attached to a terminal."""
        show = self.show_progress if self.show_progress is not None else sys.stderr.isatty()
        prefix = f"{self.label} " if self.label else ""
        return iter(
            tqdm(iterable, desc=prefix + desc, total=total, disable=not show, leave=False, **kw)
        )

    def save_arrays(self, **arrays: Any) -> None:
        """Store named arrays with this run (written compressed to arrays.npz)."""
        for name, value in arrays.items():
            arr = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value
            self.arrays[name] = np.asarray(arr)
