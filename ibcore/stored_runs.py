"""Another replication's stored runs and their arrays: the one call a study reads them through.

A study (such as ``replications/atlas``) re-analyses what replications stored with
``ctx.save_arrays`` without re-running them. :func:`stored_runs` plans a replication's runs
under a profile (the same run keys ``ibrep run`` uses), and splits them into the finished ones,
as :class:`StoredRun` objects that read their metrics and arrays, and the missing ones, as
:class:`~ibcore.store.RunSpec` (to be run, e.g. with :func:`ibcore.sweep.run_sweep`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ibcore.registry import Replication
from ibcore.store import RunSpec, RunStore, StoreError


class MissingArrays(StoreError):
    """A finished run has no stored arrays file; the message names the run and the file."""


@dataclass(frozen=True)
class StoredRun:
    """One finished run in a store."""

    spec: RunSpec
    store: RunStore = field(compare=False)

    @property
    def arrays_path(self) -> Path:
        """Where the run's ``ctx.save_arrays`` arrays are (``arrays.npz``)."""
        return self.store.run_dir(self.spec) / "arrays.npz"

    @property
    def arrays_bytes(self) -> int:
        """Size of the arrays file in bytes (0 when the run stored none)."""
        path = self.arrays_path
        return path.stat().st_size if path.is_file() else 0

    def metrics(self) -> dict[str, Any]:
        """The run's metrics.json."""
        return self.store.metrics(self.spec)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array the run saved; :class:`MissingArrays` naming the run when there is none."""
        path = self.arrays_path
        if not path.is_file():
            spec = self.spec
            raise MissingArrays(
                f"{spec.label} (run {spec.key}, {spec.profile} profile): no stored arrays — "
                f"{path} is missing. Delete {path.parent} and rerun `ibrep run {spec.paper} "
                f"--profile {spec.profile} --experiments {spec.experiment}` to recreate it."
            )
        return self.store.arrays(self.spec)


@dataclass(frozen=True)
class StoredRuns:
    """A replication's planned runs under one profile: finished and missing."""

    done: list[StoredRun]
    missing: list[RunSpec]

    def of(self, experiment: str) -> list[StoredRun]:
        """The finished runs of one experiment, in seed order of the plan."""
        return [r for r in self.done if r.spec.experiment == experiment]


def stored_runs(
    replication: str | Replication,
    profile: str,
    experiments: list[str] | None = None,
    store: RunStore | None = None,
) -> StoredRuns:
    """The runs `replication` (object, full or short name) plans under `profile`: done, missing.

    `experiments` narrows the plan (an unknown name is an error naming the config file);
    `store` defaults to ``$IBREP_HOME``.
    """
    from ibcore.runner import plan

    store = store or RunStore()
    specs = plan(replication, profile, experiments=experiments)
    done = [StoredRun(s, store) for s in specs if store.is_done(s)]
    return StoredRuns(done, [s for s in specs if not store.is_done(s)])


def stored_run(spec: RunSpec, store: RunStore) -> StoredRun:
    """The finished run `spec` in `store`; StoreError naming the run when it is not there."""
    if not store.is_done(spec):
        raise StoreError(f"{spec.label} (run {spec.key}, {spec.profile}): not in the store "
                         f"{store.home}; run it first")
    return StoredRun(spec, store)
