"""`ibrep status`: a profile's progress (done / total) and an estimate of the time left.

The estimate uses the wall times recorded in the provenance of the finished runs: each missing
run is expected to take as long as the mean finished run of its experiment (or, for an
experiment with none finished yet, the mean over all finished runs), and `jobs` runs go side by
side. It is an estimate from this machine's history, printed with what it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ibcore import registry
from ibcore.runner import plan
from ibcore.store import RunSpec, RunStore


def format_duration(seconds: float) -> str:
    """'45 s', '12 min', '3.4 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass
class Progress:
    """Runs of a profile by state, and the wall times of the finished ones per experiment."""

    done: list[RunSpec] = field(default_factory=list)
    failed: list[RunSpec] = field(default_factory=list)
    missing: list[RunSpec] = field(default_factory=list)
    wall: dict[str, list[float]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.done) + len(self.failed) + len(self.missing)

    def seconds_left(self, jobs: int = 1) -> float | None:
        """Estimated wall time of the unfinished runs at `jobs` in parallel; None if unknown."""
        every = [t for times in self.wall.values() for t in times]
        if not every:
            return None if self.failed or self.missing else 0.0
        overall = sum(every) / len(every)
        left = 0.0
        for spec in self.failed + self.missing:
            times = self.wall.get(spec.experiment)
            left += sum(times) / len(times) if times else overall
        return left / max(1, min(jobs, len(self.failed) + len(self.missing)))


def progress(
    paper: str, profile: str, seeds: tuple[int, ...] | None = None, store: RunStore | None = None
) -> Progress:
    """Classify every planned run of the profile as done, failed or missing."""
    store = store or RunStore()
    out = Progress()
    for spec in plan(paper, profile, seeds):
        if store.is_done(spec):
            out.done.append(spec)
            wall = store.provenance(spec).get("wall_time_s")
            if isinstance(wall, int | float):
                out.wall.setdefault(spec.experiment, []).append(float(wall))
        elif store.failed_path(spec).is_file():
            out.failed.append(spec)
        else:
            out.missing.append(spec)
    return out


def print_status(
    paper: str, profile: str, seeds: tuple[int, ...] | None, jobs: int, verbose: bool = False
) -> Progress:
    """Print the unfinished runs (all runs with `verbose`), the counts and the time left."""
    found = progress(paper, profile, seeds)
    for state, specs in (("done", found.done), ("failed", found.failed),
                         ("missing", found.missing)):
        if state != "done" or verbose:
            for spec in specs:
                print(f"{state:8s} {spec.label}  ({spec.key})")
    name = registry.get(paper).name
    print(f"{name} [{profile}]: {len(found.done)}/{found.total} done "
          f"({len(found.done)} done, {len(found.failed)} failed, {len(found.missing)} missing)")
    left = found.seconds_left(jobs)
    n_timed = sum(len(t) for t in found.wall.values())
    if left is None:
        print("time left: unknown (no finished run to time yet)")
    elif left > 0:
        print(f"time left ≈ {format_duration(left)} at --jobs {jobs} (from the wall times of "
              f"{n_timed} finished run(s) on this machine)")
    return found
