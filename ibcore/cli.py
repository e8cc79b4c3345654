"""`ibrep` command line: list, run, status, report, bundle, check, replicate, data, atlas.

Exit codes: 0 success; 1 a verdict differs from its recorded `expect`, runs failed, or a report
was refused because it would decide fewer claims than the committed one; 2 bad input (unknown
paper/profile, malformed config, claims or bundle, corrupted data, NaN metric, nothing to report).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ibcore import registry
from ibcore.bundle import BundleError
from ibcore.claims import ClaimError
from ibcore.config import DEFAULT_PROFILE, PROFILES, ConfigError
from ibcore.data.errors import DataError
from ibcore.ray_executor import ExecutorUnavailable
from ibcore.report import ReportError, ReportRefused
from ibcore.results_file import ResultsFileError
from ibcore.store import StoreError

INPUT_ERRORS = (ConfigError, ClaimError, registry.UnknownReplication, DataError, StoreError,
                ReportError, ExecutorUnavailable, BundleError, ResultsFileError)


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

    specs = plan(paper, args.profile, args.seeds, getattr(args, "experiments", None),
                 device=args.device)
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


def _verdicts(paper: str, args, collected=None):
    """The claims' verdicts from `collected` (default: the run store)."""
    from ibcore.results import collect, verdicts

    collected = collected or collect(paper, args.profile, args.seeds)
    return verdicts(paper, args.profile, args.seeds, collected=collected), collected


def _report_source(paper: str, args):
    """Runs to render from: the store if it holds them all, else the bundle, else what the
    store has; neither runs nor a bundle is an error saying what to run."""
    from ibcore import bundle
    from ibcore.results import collect

    name = registry.get(paper).name
    stored = collect(name, args.profile, args.seeds)
    path = bundle.bundle_path(name, args.profile)
    if stored.n_missing == 0 and stored.n_done:
        return stored
    if path.is_file():
        found = bundle.load(path)
        print(f"{name} [{args.profile}]: the store lacks {stored.n_missing} run(s) of the "
              f"profile; rendering from the bundle {path}", file=sys.stderr)
        for note in found.differences():
            print(f"  note: bundle {note}", file=sys.stderr)
        return found.collected(args.seeds)
    if stored.n_done:
        return stored
    raise ReportError(
        f"{name}: nothing to report under profile '{args.profile}' — no finished runs in "
        f"{stored.origin.partition(' ')[2]} and no bundle at {path}. Run them first: "
        f"`ibrep run {name} --profile {args.profile}` (or `ibrep replicate {name} --profile "
        f"{args.profile}`); nothing was written.")


def _offline_bundles(args) -> list:
    """The bundles `check --offline` reads: every committed one, or the named papers'."""
    from ibcore import bundle

    if args.all_bundles:
        paths = sorted(bundle.bundles_dir().glob("*/*.json.gz"))
        if not paths:
            raise BundleError(f"{bundle.bundles_dir()}: no bundles (*/*.json.gz) to check")
    else:
        paths = [bundle.bundle_path(registry.get(p).name, args.profile)
                 for p in args.papers or registry.available()]
    return [bundle.load(path) for path in paths]


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
        flag = "" if r["as_expected"] else "   <-- differs from expect"
        mismatches += bool(flag)
        print("  ".join(r[c][: widths[c]].ljust(widths[c]) for c in cols) + flag)
    return mismatches


def cmd_list(args) -> int:
    from ibcore import results_file
    from ibcore.report import reports_dir

    if args.names:
        print("\n".join(registry.available()))
        return 0
    for name in registry.available():
        rep = registry.get(name)
        print(f"{name}: {rep.config.meta.get('title', '')}")
        print(f"  experiments: {', '.join(rep.config.experiments)}")
        print(f"  claims: {len(rep.claims)}; profiles: {', '.join(PROFILES)}")
        for profile in PROFILES:
            path = results_file.results_path(name, profile, reports_dir())
            if not path.is_file():
                print(f"    {profile:6s} no report yet")
                continue
            data = results_file.read(path, results_file.SUMMARY)
            said = {name: ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in table.items())
                    for name, table in (("paper", data["counts"]),
                                        ("checks", data.get("checks") or {}))}
            print(f"    {profile:6s} reported {data.get('generated', '?')}: paper claims: "
                  f"{said['paper']}; checks: {said['checks'] or 'none'}")
    return 0


def cmd_run(args) -> int:
    failed = _run(args.paper, args)
    return min(failed, 125) if failed else 0


def cmd_status(args) -> int:
    from ibcore.status import print_status

    print_status(args.paper, args.profile, args.seeds, args.jobs, verbose=args.verbose)
    return 0


def cmd_report(args) -> int:
    from ibcore.report import render

    paper = registry.get(args.paper).name
    items, collected = _verdicts(paper, args, _report_source(paper, args))
    path = render(paper, args.profile, items, collected, args.seeds, force=args.force)
    print(f"wrote {path}")
    return 0


def cmd_bundle(args) -> int:
    from ibcore import bundle

    paper = registry.get(args.paper).name
    content = bundle.build(paper, args.profile)
    path = bundle.bundle_path(paper, args.profile)
    n_runs, n_missing = len(content["runs"]), len(content["missing"])
    if not n_runs:
        raise BundleError(f"{path}: not written — no finished runs of {paper} under "
                          f"'{args.profile}'; run `ibrep run {paper} --profile {args.profile}`")
    if path.is_file() and not args.force:
        old = len(bundle.load(path).content["runs"])
        if n_runs < old:
            print(f"ibrep: {path}: not replaced — it holds {old} runs, the store {n_runs}; "
                  "pass --force to replace it anyway", file=sys.stderr)
            return 1
    size = bundle.write(content, path)
    print(f"wrote {path}: {n_runs} run(s), {size / 1e3:.0f} kB")
    if n_missing:
        print(f"  note: {n_missing} planned run(s) are missing; the claims on their experiments "
              "will be not_run", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    if args.offline or args.all_bundles:
        return _check_offline(args)
    papers = args.papers or registry.available()
    mismatches = failed = 0
    for paper in papers:
        if not args.no_run:
            failed += _run(paper, args)
        items, _ = _verdicts(paper, args)
        mismatches += _print_table(registry.get(paper).name, args.profile, items)
    print(f"\n{mismatches} verdict(s) differ from expect; {failed} run(s) failed")
    return 1 if mismatches or failed else 0


def _check_offline(args) -> int:
    """Re-decide claims from bundles only; nothing runs and nothing is written."""
    from ibcore.results import verdicts

    mismatches = 0
    for found in _offline_bundles(args):
        collected = found.collected(args.seeds)
        items = verdicts(found.paper, found.profile, args.seeds, collected=collected)
        mismatches += _print_table(found.paper, found.profile, items)
        print(f"  from {found.path} ({collected.n_done} runs)")
        for note in found.differences():
            print(f"  note: bundle {note}")
    print(f"\n{mismatches} verdict(s) differ from expect (offline, from bundles)")
    return 1 if mismatches else 0


def cmd_replicate(args) -> int:
    from ibcore.report import render

    paper = registry.get(args.paper).name
    failed = _run(paper, args)
    items, collected = _verdicts(paper, args)
    status = 0
    try:
        path = render(paper, args.profile, items, collected, args.seeds, force=args.force)
        print(f"wrote {path}")
    except ReportRefused as exc:
        print(f"ibrep: {exc}", file=sys.stderr)
        status = 1
    mismatches = _print_table(paper, args.profile, items)
    print(f"\n{mismatches} verdict(s) differ from expect; {failed} run(s) failed")
    return 1 if mismatches or failed or status else 0


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
    from replications.atlas import AtlasError, build_atlas

    try:
        build_atlas(args.profile, jobs=args.jobs, run_missing=not args.no_run,
                    log=lambda m: print(m, file=sys.stderr))
    except AtlasError as exc:
        print(f"ibrep: error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_readme(args) -> int:
    """Rewrite the README's results-at-a-glance block from the committed results files."""
    from ibcore.glance import GlanceError, update_readme
    from ibcore.report import reports_dir

    try:
        changed = update_readme(Path(args.readme), reports_dir())
    except GlanceError as exc:
        print(f"ibrep: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.readme}: {'updated' if changed else 'already up to date'}")
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
        "$IBREP_HOME (default ./runs); reports go to $IBREP_REPORTS (default ./reports), result "
        "bundles to $IBREP_RESULTS (default ./results)."))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="replications, their profiles, claims and last verdicts")
    p.add_argument("--names", action="store_true", help="only the names, one per line")

    p = sub.add_parser("run", help="run a replication's experiments (resumable)")
    p.add_argument("paper")
    p.add_argument("--experiments", nargs="+", default=None, help="only these experiments")
    _add_run_options(p)

    p = sub.add_parser("status", help="progress of a profile (done/total) and the time left")
    p.add_argument("paper")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--seeds", type=parse_seeds, default=None)
    p.add_argument("--jobs", type=int, default=int(os.environ.get("IBREP_JOBS", "2")),
                   help="parallel runs the estimate of the time left assumes (default 2)")
    p.add_argument("-v", "--verbose", action="store_true", help="list done runs too")

    p = sub.add_parser("report", help="render reports/<profile>/<paper>.html (store or bundle)")
    p.add_argument("paper")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--seeds", type=parse_seeds, default=None)
    p.add_argument("--force", action="store_true",
                   help="replace the page even if the new one decides fewer claims")

    p = sub.add_parser("bundle", help="write results/<profile>/<paper>.json.gz from stored runs")
    p.add_argument("paper")
    p.add_argument("--profile", default=DEFAULT_PROFILE)
    p.add_argument("--force", action="store_true",
                   help="replace the bundle even if the store holds fewer runs than it")

    p = sub.add_parser("check", help="run what is missing, then compare verdicts with expect")
    p.add_argument("papers", nargs="*", help="default: every replication")
    p.add_argument("--no-run", action="store_true", help="only evaluate what the store holds")
    p.add_argument("--offline", action="store_true",
                   help="re-decide the claims from the result bundles; run nothing")
    p.add_argument("--all-bundles", action="store_true",
                   help="with --offline: every bundle under results/, whatever its profile")
    _add_run_options(p)

    p = sub.add_parser("replicate", help="run + report + check, as `make replicate-<paper>`")
    p.add_argument("paper")
    p.add_argument("--force", action="store_true",
                   help="replace the page even if the new one decides fewer claims")
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

    p = sub.add_parser("readme", help="rewrite README.md's results table from reports/*/*.json")
    p.add_argument("--readme", default="README.md", help="the README to update (default README.md)")
    return parser


COMMANDS = {"list": cmd_list, "run": cmd_run, "status": cmd_status, "report": cmd_report,
            "bundle": cmd_bundle, "check": cmd_check, "replicate": cmd_replicate,
            "data": cmd_data, "atlas": cmd_atlas, "readme": cmd_readme}


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
    except ReportRefused as exc:
        print(f"ibrep: {exc}", file=sys.stderr)
        return 1
    except INPUT_ERRORS as exc:
        print(f"ibrep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ibrep: interrupted; finished runs are kept, unfinished ones will be redone",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
