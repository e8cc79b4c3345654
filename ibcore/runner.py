"""Plan the runs of a replication and execute one run: seed, pin threads, call, store.

`execute` is the unit of work every executor (serial, process pool, Ray) calls, in whatever
process it lands in, so a run's numbers cannot depend on the executor.
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from threadpoolctl import threadpool_limits

from ibcore import registry
from ibcore.context import RunContext
from ibcore.seeding import seed_everything
from ibcore.store import RunSpec, RunStore, code_version

# One intra-op thread per run: results do not depend on how many runs share the machine, and
# parallelism comes from running seeds side by side. Override with IBREP_THREADS.
THREADS_ENV = "IBREP_THREADS"


def torch_threads() -> int:
    return int(os.environ.get(THREADS_ENV, "1"))


def plan(
    paper: str,
    profile: str,
    seeds: tuple[int, ...] | None = None,
    experiments: list[str] | None = None,
    device: str = "cpu",
) -> list[RunSpec]:
    """All runs a profile asks for (skipped experiments excluded), in a stable order.

    `device` is part of each spec (and of its key when it is not "cpu")."""
    rep = registry.get(paper)
    resolved = rep.config.resolve(profile)
    if experiments:
        unknown = [e for e in experiments if e not in resolved]
        if unknown:
            raise registry.UnknownReplication(
                f"{rep.directory / 'config.toml'}: unknown experiment(s) {unknown}"
            )
    code = code_version(rep.directory)
    specs = []
    for name, exp in resolved.items():
        if exp.skip or (experiments and name not in experiments):
            continue
        for seed in seeds if seeds is not None else exp.seeds:
            specs.append(RunSpec(rep.name, name, profile, exp.params, seed, code, device))
    return specs


def seeds_for(paper: str, profile: str, seeds: tuple[int, ...] | None) -> dict[str, tuple]:
    """Experiment → the seeds whose runs a profile's claims aggregate over."""
    resolved = registry.get(paper).config.resolve(profile)
    return {n: (seeds if seeds is not None else e.seeds) for n, e in resolved.items() if not e.skip}


def _git_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{'+dirty' if dirty else ''}" if head else "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("ibrep", "torch", "numpy", "scipy", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def provenance(wall_time: float, executor: str, device: str = "cpu") -> dict[str, Any]:
    return {
        "git_commit": _git_commit(),
        "versions": _versions(),
        "torch_threads": torch.get_num_threads(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "wall_time_s": round(wall_time, 3),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "executor": executor,
        "device": device,
    }


@dataclass(frozen=True)
class Outcome:
    """What happened to one run: `done` (computed now), `reused`, or `failed` with its error."""

    spec: RunSpec
    status: str
    wall_time: float = 0.0
    error: str = ""


def execute(
    spec: RunSpec, store_home: str | None = None, executor: str = "serial",
    show_progress: bool | None = None,
    device: str | None = None,
) -> Outcome:
    """Run one spec unless the store already has it finished; never raises for a run's error.

    The run uses `spec.device`; a `device` argument that disagrees with it is an error, because
    the result would be stored under the other device's key. BLAS (numpy's and scipy's) is
    pinned to the same number of threads as torch for the whole run, so that runs executed in
    parallel do not oversubscribe the cores and float64 reductions do not depend on the pool.
    """
    if device is not None and device != spec.device:
        raise ValueError(f"{spec.label}: planned for device {spec.device!r}, asked to run on "
                         f"{device!r}; plan with device={device!r}")
    device = spec.device
    store = RunStore(Path(store_home) if store_home else None)
    if store.is_done(spec):
        return Outcome(spec, "reused")
    store.clean_partial(spec)
    torch.set_num_threads(torch_threads())
    seed_everything(spec.seed)
    ctx = RunContext(seed=spec.seed, device=device, show_progress=show_progress, label=spec.label)
    start = time.perf_counter()
    try:
        fn = registry.get(spec.paper).experiments()[spec.experiment]
        with threadpool_limits(limits=torch_threads()):
            metrics = fn(dict(spec.params), ctx)
        if not isinstance(metrics, dict):
            raise TypeError(f"experiment returned {type(metrics).__name__}, expected a dict")
        wall = time.perf_counter() - start
        store.write(spec, metrics, ctx.arrays, provenance(wall, executor, device))
    except Exception as exc:  # noqa: BLE001 - a failing run is recorded, the sweep goes on
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
        store.record_failure(spec, error)
        return Outcome(spec, "failed", time.perf_counter() - start, error)
    return Outcome(spec, "done", wall)
