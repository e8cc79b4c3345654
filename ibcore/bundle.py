"""Result bundles: a profile's run metrics and provenance in one small, committed file.

`results/<profile>/<paper>.json.gz` (folder `$IBREP_RESULTS`, default `./results`) holds, for every
run the profile plans, what was run (experiment, params, seed, key, code version) and, for the
finished ones, their metrics and provenance. Arrays are left out, so a bundle stays small (the
limit is 5 MB). The bytes are deterministic: canonical JSON (sorted keys) gzipped with mtime 0,
so the same content gives the same file.

A bundle lets claims be re-decided without running anything (`ibrep check --offline`) and a
report be rendered where the store lacks the runs. Bundled runs are used as they are: when the
current code or config differs from the one that made them, `Bundle.differences` says so, and
the claims and rules (which are what the offline check re-checks) are still applied to them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibcore
from ibcore import registry
from ibcore.atomic import write_atomic
from ibcore.results import Collected
from ibcore.runner import plan
from ibcore.store import RunSpec, RunStore, code_version

FORMAT = "ibrep-bundle"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
_RUN_FIELDS = {"experiment": str, "params": dict, "seed": int, "key": str, "code": str}


class BundleError(ValueError):
    """A bundle is missing, unreadable or malformed; the message names the file (and field)."""


def bundles_dir() -> Path:
    """`$IBREP_RESULTS`, default `./results`."""
    return Path(os.environ.get("IBREP_RESULTS", "results")).expanduser().resolve()


def bundle_path(paper: str, profile: str, root: Path | None = None) -> Path:
    """Where the bundle of (`paper`, `profile`) lives."""
    return (root or bundles_dir()) / profile / f"{paper}.json.gz"


def encode(content: dict[str, Any]) -> bytes:
    """Deterministic bytes: sorted-key JSON, gzip with no file name and mtime 0."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode())
    return buf.getvalue()


def _run_entry(spec: RunSpec) -> dict[str, Any]:
    return {"experiment": spec.experiment, "params": spec.params, "seed": spec.seed,
            "key": spec.key, "code": spec.code}


def build(paper: str, profile: str, store: RunStore | None = None) -> dict[str, Any]:
    """The bundle content of a profile: every planned run, with metrics where it is done."""
    store = store or RunStore()
    rep = registry.get(paper)
    runs, missing = [], []
    for spec in plan(rep.name, profile):
        if store.is_done(spec):
            runs.append({**_run_entry(spec), "metrics": store.metrics(spec),
                         "provenance": store.provenance(spec)})
        else:
            missing.append(_run_entry(spec))
    return {"format": FORMAT, "version": VERSION, "paper": rep.name, "profile": profile,
            "code": code_version(rep.directory), "ibcore_version": ibcore.__version__,
            "runs": runs, "missing": missing}


def write(content: dict[str, Any], path: Path) -> int:
    """Write a bundle atomically; returns its size in bytes. Refuses one over 5 MB."""
    data = encode(content)
    if len(data) > MAX_BYTES:
        raise BundleError(f"{path}: bundle would be {len(data) / 1e6:.1f} MB, over the 5 MB limit "
                          "(are large curves in the metrics? store them with ctx.save_arrays)")
    write_atomic(path, data)
    return len(data)


def _check_runs(entries: Any, path: Path, name: str, with_metrics: bool) -> None:
    if not isinstance(entries, list):
        raise BundleError(f"{path}: field '{name}' must be a list")
    for i, entry in enumerate(entries):
        where = f"{path}: {name}[{i}]"
        if not isinstance(entry, dict):
            raise BundleError(f"{where} is not an object")
        fields = dict(_RUN_FIELDS, **({"metrics": dict, "provenance": dict} if with_metrics
                                      else {}))
        for field, kind in fields.items():
            if not isinstance(entry.get(field), kind) or isinstance(entry.get(field), bool):
                raise BundleError(f"{where}: field '{field}' missing or not {kind.__name__}")


@dataclass(frozen=True)
class Bundle:
    """A loaded, validated bundle."""

    path: Path
    content: dict[str, Any]

    @property
    def paper(self) -> str:
        return self.content["paper"]

    @property
    def profile(self) -> str:
        return self.content["profile"]

    def _spec(self, entry: dict[str, Any]) -> RunSpec:
        return RunSpec(self.paper, entry["experiment"], self.profile, entry["params"],
                       entry["seed"], entry["code"])

    def collected(self, seeds: tuple[int, ...] | None = None) -> Collected:
        """The bundle's runs as a `Collected`; an experiment counts only with all its seeds."""
        out = Collected(origin=f"bundle {self.path}")
        keep = (lambda e: True) if seeds is None else (lambda e: e["seed"] in seeds)
        for entry in filter(keep, self.content["missing"]):
            out.missing.setdefault(entry["experiment"], []).append(self._spec(entry))
        present: dict[str, set[int]] = {}
        for entry in filter(keep, self.content["runs"]):
            exp = entry["experiment"]
            present.setdefault(exp, set()).add(entry["seed"])
            if exp in out.missing:
                continue
            out.specs.setdefault(exp, []).append(self._spec(entry))
            out.metrics.setdefault(exp, []).append(entry["metrics"])
            out.provenance.setdefault(exp, []).append(entry["provenance"])
        if seeds is not None:  # a requested seed the bundle lacks: that experiment is missing
            for exp, got in present.items():
                lacking = [s for s in seeds if s not in got]
                if lacking:
                    params = out.specs[exp][0].params if exp in out.specs else {}
                    out.missing.setdefault(exp, []).extend(
                        RunSpec(self.paper, exp, self.profile, params, s, "") for s in lacking)
        for exp in list(out.specs):
            if exp in out.missing:
                for table in (out.specs, out.metrics, out.provenance):
                    del table[exp]
        return out

    def differences(self) -> list[str]:
        """How the bundled runs differ from what the current code and config would run."""
        rep = registry.get(self.paper)
        notes = []
        current = code_version(rep.directory)
        codes = sorted({e["code"] for e in self.content["runs"] + self.content["missing"]})
        if codes and codes != [current]:
            notes.append(f"made with code version {', '.join(codes)}; the current code is "
                         f"{current}. The stored metrics are re-checked against the current claims "
                         "and rules; rerunning might give other numbers")
        planned = {(s.experiment, s.seed): s for s in plan(rep.name, self.profile)}
        bundled = {(e["experiment"], e["seed"]): e
                   for e in self.content["runs"] + self.content["missing"]}
        changed = sorted({exp for (exp, seed), e in bundled.items()
                          if (exp, seed) in planned and planned[exp, seed].params != e["params"]})
        if changed:
            notes.append(f"settings differ from the current config.toml for: {', '.join(changed)}")
        extra = sorted({exp for exp, seed in planned.keys() - bundled.keys()})
        if extra:
            notes.append(f"the current config plans runs the bundle lacks: {', '.join(extra)}")
        gone = sorted({exp for exp, seed in bundled.keys() - planned.keys()})
        if gone:
            notes.append(f"the bundle holds runs the current config no longer plans: "
                         f"{', '.join(gone)}")
        return notes


def load(path: Path) -> Bundle:
    """Read and validate a bundle; any defect is a BundleError naming the file and field."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle")
    try:
        with gzip.open(path, "rb") as fh:
            content = json.loads(fh.read().decode())
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise BundleError(f"{path}: corrupt or not a gzipped JSON bundle ({exc})") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise BundleError(f"{path}: field 'format' is not {FORMAT!r}")
    if content.get("version") != VERSION:
        raise BundleError(f"{path}: field 'version' is {content.get('version')!r}; this ibrep "
                          f"reads version {VERSION}")
    for name in ("paper", "profile", "code"):
        if not isinstance(content.get(name), str):
            raise BundleError(f"{path}: field '{name}' missing or not a string")
    if path.name != f"{content['paper']}.json.gz" or path.parent.name != content["profile"]:
        raise BundleError(f"{path}: holds {content['paper']} [{content['profile']}], which "
                          f"belongs at <results>/{content['profile']}/{content['paper']}.json.gz")
    _check_runs(content.get("runs"), path, "runs", with_metrics=True)
    _check_runs(content.get("missing"), path, "missing", with_metrics=False)
    return Bundle(path, content)
