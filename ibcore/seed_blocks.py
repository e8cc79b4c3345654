"""Seed blocks: train several seeds of one experiment in one call, store each as its own run.

Small networks are overhead-bound: twenty 12-bit-task networks stacked in one batched matmul
cost little more per step than one (`ibcore.train.batched`). An experiment opts in twice:

- its entry in `EXPERIMENTS` is a :class:`BlockExperiment`, whose function takes a list of run
  contexts and returns one metrics dict per context (called with one context, it is an
  ordinary run function, so every executor and `runner.execute` can still run it seed by seed);
- its config sets `seed_block = k` (a parameter, hence part of every run key): the sweep then
  hands it up to k missing seeds at a time (:func:`units`).

Each seed is still stored as its own run, under its own key, with its own arrays.

Fixed blocks. Block b of an experiment is always the seeds b·k … b·k + k − 1, trained together
in full, whichever of them are missing or were asked for; the seeds not wanted are trained and
dropped. So a seed's stored numbers are a function of its run key alone (bitwise, on a given
machine), whether the sweep ran uninterrupted, resumed half a block or was asked for `--seeds 3`.
This matters because a model's numbers inside a stack equal its numbers alone only to float32
rounding in general: bitwise on the machine `ibcore.train.batched` was measured on, but not on
an AVX-512 AMD EPYC (measured 2026-12-02: the 12-bit task's activations differ by 1.4e-6 after
six epochs between stacks of two and of one or three models; docs/CONTRACTS.md). Choose k to
divide the profile's seed count, or the last block trains seeds nobody stores.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from threadpoolctl import threadpool_limits

from ibcore import registry
from ibcore.context import RunContext
from ibcore.errors import ConfigError
from ibcore.runner import Outcome, execute, provenance, torch_threads
from ibcore.seeding import seed_everything
from ibcore.store import RunSpec, RunStore

BlockFunction = Callable[[dict, list[RunContext]], list[dict]]


@dataclass(frozen=True)
class BlockExperiment:
    """An experiment that can run several seeds in one call (see the module docstring)."""

    block: BlockFunction

    def __call__(self, cfg: dict, ctx: RunContext) -> dict:
        """One seed: the block of one."""
        (metrics,) = self.block(cfg, [ctx])
        return metrics


def _config_path(spec: RunSpec) -> Path:
    return registry.get(spec.paper).directory / "config.toml"


def block_size(spec: RunSpec) -> int:
    """The `seed_block` parameter of a spec (1 when absent)."""
    size = spec.params.get("seed_block", 1)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ConfigError(f"{_config_path(spec)}: experiment '{spec.experiment}', field "
                          f"'seed_block' must be a positive integer, got {size!r}")
    return size


def block_seeds(spec: RunSpec) -> list[int]:
    """The seeds of the fixed block `spec` belongs to (see the module docstring)."""
    size = block_size(spec)
    first = spec.seed - spec.seed % size
    return list(range(first, first + size))


def units(specs: Sequence[RunSpec]) -> list[list[RunSpec]]:
    """Split specs into units of work: the specs of one fixed seed block of one experiment
    (same parameters, code and device), and single runs for everything else; order kept."""
    out: list[list[RunSpec]] = []
    open_blocks: dict[tuple, list[RunSpec]] = {}
    for spec in specs:
        size = block_size(spec)
        if size == 1:
            out.append([spec])
            continue
        fn = registry.get(spec.paper).experiments()[spec.experiment]
        if not isinstance(fn, BlockExperiment):
            raise ConfigError(
                f"{_config_path(spec)}: experiment '{spec.experiment}' sets seed_block = "
                f"{size}, but its EXPERIMENTS entry is not a BlockExperiment")
        group = (spec.paper, spec.experiment, spec.profile, spec.code, spec.device,
                 repr(sorted(spec.params.items())), spec.seed // size)
        block = open_blocks.get(group)
        if block is None:
            block = open_blocks[group] = []
            out.append(block)
        block.append(spec)
    return out


def run_unit(
    unit: Sequence[RunSpec], store_home: str | None = None, executor: str = "serial",
    show_progress: bool | None = None, device: str | None = None,
) -> list[Outcome]:
    """Execute one unit from :func:`units`; a single run goes through `runner.execute`."""
    if len(unit) == 1:
        return [execute(unit[0], store_home, executor, show_progress, device)]
    return execute_block(list(unit), store_home, executor, show_progress, device)


def fail_unit(unit: Sequence[RunSpec], store_home: str, error: str) -> list[Outcome]:
    """Record every run of a unit whose worker died as failed (it stays unfinished)."""
    store = RunStore(Path(store_home))
    for spec in unit:
        store.record_failure(spec, error)
    return [Outcome(spec, "failed", error=error) for spec in unit]


def execute_block(
    specs: list[RunSpec], store_home: str | None = None, executor: str = "serial",
    show_progress: bool | None = None, device: str | None = None,
) -> list[Outcome]:
    """Train the fixed block of `specs` (all its seeds, in one call) when the store lacks any
    of `specs`, and store those; seeds of the block outside `specs` or already stored are
    trained alongside and dropped, so that every seed sees the same block whatever is missing.

    Mirrors `runner.execute` (device check, threads, BLAS pinned, atomic writes, failures
    recorded and never raised); a failure of the call fails every seed of the block.
    Provenance gives each stored run its share of the block's wall time and names the block.
    """
    store = RunStore(Path(store_home) if store_home else None)
    for spec in specs:
        if device is not None and device != spec.device:
            raise ValueError(f"{spec.label}: planned for device {spec.device!r}, asked to run "
                             f"on {device!r}; plan with device={device!r}")
    done = [store.is_done(s) for s in specs]
    outcomes = [Outcome(s, "reused") for s, d in zip(specs, done) if d]
    todo = [s for s, d in zip(specs, done) if not d]
    if not todo:
        return outcomes
    seeds = block_seeds(todo[0])
    if any(block_seeds(s) != seeds for s in todo):
        raise ValueError(f"{todo[0].label}: specs of different seed blocks in one unit")
    for spec in todo:
        store.clean_partial(spec)
    torch.set_num_threads(torch_threads())
    # the block function must draw from its contexts only; the global seed is the block's first
    seed_everything(seeds[0])
    by_seed = {s.seed: s for s in todo}
    label = f"{todo[0].paper}/{todo[0].experiment} seeds {seeds[0]}–{seeds[-1]}"
    ctxs = [RunContext(seed=seed, device=todo[0].device, show_progress=show_progress,
                       label=label if i == 0 else
                       dataclasses.replace(todo[0], seed=seed).label)
            for i, seed in enumerate(seeds)]
    start = time.perf_counter()
    try:
        fn = registry.get(todo[0].paper).experiments()[todo[0].experiment]
        with threadpool_limits(limits=torch_threads()):
            results = fn.block(dict(todo[0].params), ctxs)
        if len(results) != len(seeds) or not all(isinstance(m, dict) for m in results):
            raise TypeError(f"block function returned {len(results)} results for "
                            f"{len(seeds)} seeds; expected one dict per seed")
        wall = time.perf_counter() - start
        block_note: dict[str, Any] = {"seed_block": seeds, "block_wall_time_s": round(wall, 3)}
        for ctx, metrics in zip(ctxs, results):
            spec = by_seed.get(ctx.seed)
            if spec is not None:
                prov = provenance(wall / len(todo), executor, spec.device) | block_note
                store.write(spec, metrics, ctx.arrays, prov)
    except Exception as exc:  # noqa: BLE001 - a failing block is recorded, the sweep goes on
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
        share = (time.perf_counter() - start) / len(todo)
        for spec in todo:
            if store.is_done(spec):  # written before the failure: a finished run
                outcomes.append(Outcome(spec, "done", share))
            else:
                store.record_failure(spec, error)
                outcomes.append(Outcome(spec, "failed", share, error))
        return outcomes
    return outcomes + [Outcome(s, "done", wall / len(todo)) for s in todo]
