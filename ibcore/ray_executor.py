"""Run sweeps on Ray (https://docs.ray.io): a local instance or an existing cluster.

Each unit of work (a run, or a block of seeds, `ibcore.seed_blocks`) is one Ray task calling
`seed_blocks.run_unit`, the same function the other executors call, so results are
byte-identical to a serial sweep. Workers write to the run store themselves
(atomic rename + `done` marker): on a cluster, `IBREP_HOME` must be a path every node can reach
(a shared file system), and every node needs this package installed at the same commit.
A task whose worker dies (SIGKILL, node loss) is not retried by Ray; it is recorded as failed and
its run stays unfinished, so rerunning the sweep executes exactly the missing runs.
When the driver of a local instance dies (even `kill -9`), Ray's own fate sharing ends the raylet
and with it the workers within seconds (a test checks this), so they need no watch of their own
(`ibcore.lifeline` is for the process pool).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ibcore.runner import Outcome
from ibcore.seed_blocks import fail_unit, run_unit
from ibcore.store import RunSpec

# Passed to every worker so that a cluster node resolves the store and fixtures like the driver.
FORWARDED_ENV = ("IBREP_HOME", "IBREP_DATA", "IBREP_THREADS", "IBREP_REPLICATIONS_PATH")


class ExecutorUnavailable(RuntimeError):
    """The requested executor cannot run here (e.g. Ray is not installed)."""


def _ray():
    try:
        import ray
    except ImportError:
        raise ExecutorUnavailable(
            "--executor ray needs Ray: pip install '.[ray]' (or: pip install ray)"
        ) from None
    return ray


def run_on_ray(
    work: list[list[RunSpec]],
    home: str,
    on_done: Callable[[Outcome], None],
    jobs: int = 2,
    address: str | None = None,
    device: str | None = None,
) -> None:
    """Execute each unit of `work` (`seed_blocks.units`) as a Ray task on the cluster at
    `address`, or on a local instance of `jobs` CPUs."""
    ray = _ray()
    env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
    env["IBREP_HOME"] = home
    started_here = not ray.is_initialized()
    if started_here:
        options = dict(runtime_env={"env_vars": env}, log_to_driver=False,
                       include_dashboard=False, configure_logging=False)
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=jobs, **options)
    try:
        task = ray.remote(num_cpus=1, max_retries=0)(run_unit)
        pending = {task.remote(unit, home, "ray", False, device): unit for unit in work}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            unit = pending.pop(ready[0])
            try:
                outcomes = ray.get(ready[0])
            except ray.exceptions.RayError as exc:  # the worker died: nothing was trusted
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                outcomes = fail_unit(unit, home, error)
            for outcome in outcomes:
                on_done(outcome)
    finally:
        if started_here:
            ray.shutdown()
