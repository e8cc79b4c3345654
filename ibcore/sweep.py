"""Map `runner.execute` over many runs: in-process, in a process pool, or on Ray.

The unit of work is a run, or a block of seeds of one experiment that sets `seed_block`
(`ibcore.seed_blocks`): a block trains its seeds together and stores each as its own run.

Executors only decide *where* a run executes; each run seeds itself and pins its threads, so
all executors produce byte-identical metrics. Workers write to the shared run store themselves
(atomic rename + `done` marker), so a sweep killed at any point loses at most the runs in flight.
Process-pool workers watch the coordinating process (`ibcore.lifeline`) and exit when it dies.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from tqdm.auto import tqdm

from ibcore import lifeline
from ibcore.runner import Outcome
from ibcore.seed_blocks import fail_unit, run_unit, units
from ibcore.status import format_duration
from ibcore.store import RunSpec, RunStore

EXECUTORS = ("serial", "process", "ray")


def _bar(total: int, show: bool | None, desc: str) -> tqdm:
    show = sys.stderr.isatty() if show is None else show
    return tqdm(total=total, desc=desc, disable=not show, unit="run")


class ProgressLines:
    """'k/n runs finished, ≈ T left' lines, at most one per `every` seconds (and the last)."""

    def __init__(self, total: int, log: Callable[[str], None], every: float = 60.0) -> None:
        self.total, self.log, self.every = total, log, every
        self.start = self.last = time.monotonic()

    def update(self, finished: int) -> None:
        now = time.monotonic()
        if now - self.last < self.every and finished < self.total:
            return
        self.last = now
        left = (now - self.start) / finished * (self.total - finished)
        self.log(f"{finished}/{self.total} runs finished, ≈ {format_duration(left)} left")


def _serial(work, home, show, on_done, device):
    for unit in work:
        for outcome in run_unit(unit, home, "serial", show_progress=show, device=device):
            on_done(outcome)


def _process(work, home, show, on_done, jobs, device):
    # spawn: a fresh interpreter per worker, so no inherited torch thread pools or RNG state
    ctx = multiprocessing.get_context("spawn")
    # each worker exits when this process dies, instead of lingering re-parented to init
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=lifeline.watch,
                             initargs=lifeline.coordinator()) as pool:
        futures = {pool.submit(run_unit, u, home, "process", False, device): u for u in work}
        for fut in as_completed(futures):
            try:
                outcomes = fut.result()
            except BrokenProcessPool as exc:  # a worker was killed: its runs stay unfinished
                error = f"worker process died ({exc}); rerun to complete this run"
                outcomes = fail_unit(futures[fut], home, error)
            for outcome in outcomes:
                on_done(outcome)


def _ray(work, home, show, on_done, jobs, address, device):
    from ibcore.ray_executor import run_on_ray

    run_on_ray(work, home, on_done, jobs=jobs, address=address, device=device)


def run_sweep(
    specs: Iterable[RunSpec],
    executor: str = "serial",
    jobs: int = 1,
    store: RunStore | None = None,
    show_progress: bool | None = None,
    address: str | None = None,
    log: Callable[[str], None] = print,
    device: str | None = None,
) -> list[Outcome]:
    """Execute every spec not already done; returns one Outcome per spec (any order).

    `device` (None: each spec's own) reaches each run's `RunContext` (and its provenance); it
    must match the device the specs were planned for.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose from {EXECUTORS}")
    store = store or RunStore()
    specs = list(specs)
    done = {s.key for s in specs if store.is_done(s)}
    todo = [s for s in specs if s.key not in done]
    outcomes = [Outcome(s, "reused") for s in specs if s.key in done]
    if not todo:
        return outcomes
    home = str(store.home)
    bar = _bar(len(todo), show_progress, f"{len(todo)} runs ({executor})")
    counts = {"done": 0, "failed": 0}
    slots = 1 if executor == "serial" else max(1, jobs)
    # without a terminal (a log file, nohup) the bar is off: a progress line at most once a minute
    lines = ProgressLines(len(todo), log) if bar.disable and show_progress is None else None

    def on_done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        running = min(slots, len(todo) - counts["done"] - counts["failed"])
        bar.set_postfix(done=counts["done"], running=running, failed=counts["failed"],
                        refresh=False)
        bar.update(1)
        if lines is not None:
            lines.update(counts["done"] + counts["failed"])
        if outcome.status == "failed":
            first = outcome.error.splitlines()[0] if outcome.error else "error"
            log(f"FAILED {outcome.spec.label}: {first}")

    # units of work: single runs, and blocks of seeds for experiments that set seed_block
    work = units(todo)
    try:
        if executor == "serial" or (executor == "process" and (jobs <= 1 or len(work) == 1)):
            _serial(work, home, show_progress, on_done, device)
        elif executor == "process":
            _process(work, home, show_progress, on_done, jobs, device)
        else:
            _ray(work, home, show_progress, on_done, jobs, address, device)
    finally:
        bar.close()
    return outcomes
