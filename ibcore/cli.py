"""`ibrep` command line: list, run, status, report, check, replicate, data, atlas.

Exit codes: 0 success; 1 a verdict differs from its recorded `expect`, or runs failed;
2 bad input (unknown paper/profile, malformed config or claims, corrupted data, NaN metric).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ibcore import registry
from ibcore.claims import ClaimError
from ibcore.config import DEFAULT_PROFILE, PROFILES, ConfigError
from ibcore.data.errors import DataError
from ibcore.ray_executor import ExecutorUnavailable
from ibcore.report import ReportError
from ibcore.store import StoreError

INPUT_ERRORS = (ConfigError, ClaimError, registry.UnknownReplication, DataError, StoreError,
                ReportError, ExecutorUnavailable)


def parse_seeds(text: str | None) -> tuple[int, ...] | None:
    """'0-4' → (0, 1, 2, 3, 4); '0,2,7' → (0, 2, 7); None → profile default."""
    if text is None:
        return None
    seeds: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-", 1))
                if hi < lo:
                    raise ValueError
                seeds.extend(range(lo, hi + 1))
            else:
                seeds.append(int(part))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--seeds: cannot read {text!r} (try 0-4 or 0,2,7)"
        ) from None
    if not seeds or min(seeds) < 0:
        raise argparse.ArgumentTypeError("--seeds: need non-negative integers")
    return tuple(dict.fromkeys(seeds))


def _show_progress(args) -> bool | None:
    return False if args.quiet else None


def _run(paper: str, args) -> int:
    """Execute the runs a profile needs; returns the number that failed."""
    from ibcore.runner import plan
    from ibcore.sweep import run_sweep

    specs = plan(paper, args.profile, args.seeds, getattr(args, "experiments", None))
    outcomes = run_sweep(specs, executor=args.executor, jobs=args.jobs,
                         show_progress=_show_progress(args), address=args.address,
                         log=lambda m: print(m, file=sys.stderr), device=args.device)
    done = sum(o.status == "done" for o in outcomes)
    reused = sum(o.status == "reused" for o in outcomes)
    failed = [o for o in outcomes if o.status == "failed"]
    print(f"{registry.get(paper).name} [{args.profile}]: {done} run(s) computed, {reused} reused "
          f"from the store, {len(failed)} failed")
    for o in failed:
        print(f"  FAILED {o.spec.label}:\n    " + o.error.strip().replace("\n", "\n    "),
              file=sys.stderr)
    return len(failed)


def _verdicts(paper: str, args):
    from ibcore.results import save_verdicts, verdicts

    items = verdicts(paper, args.profile, args.seeds)
    save_verdicts(registry.get(paper).name, args.profile, items)
    return items


def _print_table(paper: str, profile: str, items) -> int:
    from ibcore.results import verdict_rows

    rows = verdict_rows(items)
    cols = ["claim", "kind", "published", "ours", "seeds", "verdict", "expected"]
    widths = {c: min(44, max(len(c), *(len(r[c]) for r in rows))) for c in cols}
    print(f"\n{paper} — profile '{profile}' (ours: mean over seeds [95 % interval: t-interval, "
          "widened by a studentized bootstrap from 5 seeds on])")
    print("  ".join(c.ljust(widths[c]) for c in cols))
    mismatches = 0
    for r in rows:
        flag = "" if r["verdict"] == r["expected"] else "   <-- differs from expect"
        mismatches += bool(flag)
        print("  ".join(r[c][: widths[c]].ljust(widths[c]) for c in cols) + flag)
    return mismatches


def cmd_list(args) -> int:
    from ibcore.results import verdict_summary, verdicts

    if args.names:
        print("\n".join(registry.available()))
        return 0
    for name in registry.available():
        rep = registry.get(name)
        print(f"{name}: {rep.config.meta.get('title', '')}")
        print(f"  experiments: {', '.join(rep.config.experiments)}")
        print(f"  claims: {len(rep.claims)}; profiles: {', '.join(PROFILES)}")
        for profile in PROFILES:
            items = verdicts(name, profile)
            print(f"    {profile:6s} paper claims: {verdict_summary(items, 'paper')}; "
                  f"checks: {verdict_summary(items, 'check')}")
    planned = [p for p in registry.PLANNED.values() if p not in registry.available()]
    if planned:
        print("planned, not implemented yet: " + ", ".join(planned))
    return 0


def cmd_run(args) -> int:
    failed = _run(args.paper, args)
    return min(failed, 125) if failed else 0


def cmd_status(args) -> int:
    from ibcore.runner import plan
    from ibcore.store import RunStore

    store = RunStore()
    specs = plan(args.paper, args.profile, args.seeds)
    counts = {"done": 0, "failed": 0, "missing": 0}
    for spec in specs:
        state = ("done" if store.is_done(spec)
                 else "failed" if store.failed_path(spec).is_file() else "missing")
        counts[state] += 1
        if state != "done" or args.verbose:
            print(f"{state:8s} {spec.label}  ({spec.key})")
    print(f"{registry.get(args.paper).name} [{args.profile}]: "
          + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def cmd_report(args) -> int:
    from ibcore.report import render

    items = _verdicts(args.paper, args)
    path = render(registry.get(args.paper).name, args.profile, items, args.seeds)
    print(f"wrote {path}")
    return 0


def cmd_check(args) -> int:
    papers = args.papers or registry.available()
    mismatches = failed = 0
    for paper in papers:
        if not args.no_run:
            failed += _run(paper, args)
        items = _verdicts(paper, args)
        mismatches += _print_table(registry.get(paper).name, args.profile, items)
    print(f"\n{mismatches} verdict(s) differ from expect; {failed} run(s) failed")
    return 1 if mismatches or failed else 0


def cmd_replicate(args) -> int:
    from ibcore.report import render

    paper = registry.get(args.paper).name
    failed = _run(paper, args)
    items = _verdicts(paper, args)
    path = render(paper, args.profile, items, args.seeds)
    print(f"wrote {path}")
    mismatches = _print_table(paper, args.profile, items)
    print(f"\n{mismatches} verdict(s) differ from expect; {failed} run(s) failed")
    return 1 if mismatches or failed else 0


def cmd_data(args) -> int:
    if args.dataset == "szt":
        from ibcore.data.szt import SZT_PATH, verify_szt

        verify_szt()
        print(f"12-bit task OK: {SZT_PATH} (sha256 verified)")
        return 0
    from ibcore.data import mnist_source as mnist_mod

    record = (mnist_mod.verify_cache() if args.verify
              else mnist_mod.fetch(refresh=args.refresh))
    print(f"MNIST OK: {mnist_mod.cache_path()} (source {record['source']}, sha256 verified)")
    return 0


def cmd_atlas(args) -> int:
    from ibcore.atlas import AtlasError, build_atlas

    try:
        build_atlas(args.profile, jobs=args.jobs, run_missing=not args.no_run,
                    log=lambda m: print(m, file=sys.stderr))
    except AtlasError as exc:
        print(f"ibrep: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _add_run_options(p: argparse.ArgumentParser, profile: bool = True) -> None:
    if profile:
        p.add_argument("--profile", default=DEFAULT_PROFILE,
                       help=f"one of {', '.join(PROFILES)} (default {DEFAULT_PROFILE})")
    p.add_argument("--seeds", type=parse_seeds, default=None,
                   help="override the profile's seeds, e.g. 0-4 or 0,2,7")
    p.add_argument("--jobs", type=int, default=int(os.environ.get("IBREP_JOBS", "2")),
                   help="parallel runs (process pool; default 2)")
    p.add_argument("--executor", default=None, choices=["serial", "process", "ray"],
                   help="where runs execute (default: process when --jobs > 1)")
    p.add_argument("--address", default=os.environ.get("RAY_ADDRESS"),
                   help="Ray cluster address for --executor ray (default $RAY_ADDRESS)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                   help="where models train (default cpu; the CUDA path is untested)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ibrep", description=(
        "Reproducibility suite for information-theoretic deep learning. Runs are stored under "
        "$IBREP_HOME (default ./runs); reports go to $IBREP_REPORTS (default ./reports)."))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="replications, their profiles, claims and last verdicts")
    p.add_argument("--names", action="store_true", help="only the names, one per line")

    p = sub.add_parser("run", help="run a replication's experiments (resumable)")
    p.add_argument("paper")
    p.add_argument("--experiments", nargs="+", default=None, help="only these experiments")
    _add_run_options(p)

    p = sub.add_parser("status", help="done, missing and failed runs of a profile")
    p.add_argument("paper")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--seeds", type=parse_seeds, default=None)
    p.add_argument("-v", "--verbose", action="store_true", help="list done runs too")

    p = sub.add_parser("report", help="render reports/<paper>.html from stored runs")
    p.add_argument("paper")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--seeds", type=parse_seeds, default=None)

    p = sub.add_parser("check", help="run what is missing, then compare verdicts with expect")
    p.add_argument("papers", nargs="*", help="default: every replication")
    p.add_argument("--no-run", action="store_true", help="only evaluate what the store holds")
    _add_run_options(p)

    p = sub.add_parser("replicate", help="run + report + check, as `make replicate-<paper>`")
    p.add_argument("paper")
    _add_run_options(p)

    p = sub.add_parser("data", help="fetch or verify a data set")
    p.add_argument("dataset", choices=["mnist", "szt"])
    p.add_argument("--verify", action="store_true", help="only verify the cached copy")
    p.add_argument("--refresh", action="store_true", help="download again")

    p = sub.add_parser("atlas", help="estimator-sensitivity atlas: reports/atlas.html")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--jobs", type=int, default=int(os.environ.get("IBREP_JOBS", "2")),
                   help="runs re-estimated side by side (default 2)")
    p.add_argument("--no-run", action="store_true",
                   help="use only stored runs; claims without runs are not_run")
    return parser


COMMANDS = {"list": cmd_list, "run": cmd_run, "status": cmd_status, "report": cmd_report,
            "check": cmd_check, "replicate": cmd_replicate, "data": cmd_data, "atlas": cmd_atlas}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "executor", "unset") is None:
        args.executor = "process" if args.jobs > 1 else "serial"
    if hasattr(args, "jobs") and args.jobs < 1:
        print("ibrep: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if getattr(args, "profile", None) is not None and args.profile not in PROFILES:
        print(f"ibrep: error: unknown profile {args.profile!r}; choose from "
              f"{', '.join(PROFILES)}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except INPUT_ERRORS as exc:
        print(f"ibrep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ibrep: interrupted; finished runs are kept, unfinished ones will be redone",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
