"""Wall time of one fixed sweep under the serial, process-pool and Ray executors.

Run on demand (not part of pytest):

    .venv/bin/python benchmarks/bench_sweep.py                      # saxe2018 szt_tanh, 8 seeds
    .venv/bin/python benchmarks/bench_sweep.py --experiment szt_relu --seeds 0-3

Each executor gets a fresh run store, so nothing is reused. Reports speed-up against serial,
Ray's overhead per task against the process pool, and checks that all three stores hold
byte-identical metrics. Writes benchmarks/results/sweep.csv and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from ibcore.cli import parse_seeds
from ibcore.runner import plan
from ibcore.store import RunStore
from ibcore.sweep import run_sweep

RESULTS = Path(__file__).parent / "results"


def timed_sweep(specs, executor: str, jobs: int, home: Path) -> tuple[float, dict[str, bytes]]:
    store = RunStore(home)
    start = time.perf_counter()
    outcomes = run_sweep(specs, executor=executor, jobs=jobs, store=store, show_progress=False)
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        sys.exit(f"{executor}: {len(failed)} run(s) failed: {failed[0].error}")
    return wall, {s.key: (store.run_dir(s) / "metrics.json").read_bytes() for s in specs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", default="saxe2018")
    parser.add_argument("--experiment", default="szt_tanh")
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--seeds", type=parse_seeds, default=tuple(range(8)))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--executors", nargs="+", default=["serial", "process", "ray", "ray-warm"])
    args = parser.parse_args()

    specs = plan(args.paper, args.profile, args.seeds, [args.experiment])
    rows, reference = [], None
    for executor in args.executors:
        with tempfile.TemporaryDirectory() as home:
            os.environ["IBREP_HOME"] = home
            if executor == "ray-warm":  # start Ray before the clock: per-task cost alone
                import ray

                startup = time.perf_counter()
                ray.init(num_cpus=args.jobs, include_dashboard=False, log_to_driver=False,
                         runtime_env={"env_vars": {"IBREP_HOME": home}})
                print(f"ray.init took {time.perf_counter() - startup:.1f} s")
            wall, metrics = timed_sweep(specs, executor.removesuffix("-warm"), args.jobs,
                                        Path(home))
            if executor == "ray-warm":
                ray.shutdown()
        identical = reference is None or metrics == reference
        reference = reference or metrics
        rows.append({"executor": executor, "jobs": 1 if executor == "serial" else args.jobs,
                     "runs": len(specs), "wall_s": round(wall, 2),
                     "s_per_run": round(wall / len(specs), 2), "identical_metrics": identical})
    serial = next((r["wall_s"] for r in rows if r["executor"] == "serial"), None)
    pool = next((r["wall_s"] for r in rows if r["executor"] == "process"), None)
    for r in rows:
        r["speedup_vs_serial"] = round(serial / r["wall_s"], 2) if serial else ""
        r["ray_overhead_s_per_task"] = (round((r["wall_s"] - pool) / len(specs) * args.jobs, 2)
                                        if r["executor"].startswith("ray") and pool else "")
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "sweep.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{args.paper}/{args.experiment} [{args.profile}], seeds {list(args.seeds)}")
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for r in rows:
        print("| " + " | ".join(str(v) for v in r.values()) + " |")


if __name__ == "__main__":
    main()
