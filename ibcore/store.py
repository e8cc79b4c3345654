"""Content-addressed run store: one folder per (paper, experiment, profile, config, seed, code).

Layout under `$IBREP_HOME` (default `./runs`):

    <paper>/<experiment>/<key>/run.json         what was run (the key's preimage)
                               metrics.json     canonical JSON (sorted keys): byte-stable
                               arrays.npz       optional arrays saved by the experiment
                               provenance.json  commit, versions, machine, wall time
                               done             written last: a folder without it is not trusted
    <paper>/<experiment>/failed/<key>.json      the error of the last failed attempt

A run is written into a hidden temporary folder beside its final place and renamed into place
only once complete, so a killed run leaves at most a `.tmp-*` folder, which is removed and
redone on the next attempt.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import ibcore

# The run machinery every run passes through, whatever its experiment imports.
_RUN_MACHINERY = ("runner.py", "seeding.py", "context.py", "store.py")
# Reached through imports, but cannot change a run's numbers (the settings themselves are in
# the key); editing them keeps stored runs valid.
_NOT_NUMERIC = {"claims.py", "registry.py", "config.py", "cli.py", "report.py", "notebook.py",
                "results.py", "sweep.py", "ray_executor.py", "__main__.py"}


class StoreError(RuntimeError):
    """A stored run is unreadable or a metric is not a finite number."""


def store_home() -> Path:
    """`$IBREP_HOME`, default `./runs`."""
    return Path(os.environ.get("IBREP_HOME", "runs")).expanduser().resolve()


def _module_file(name: str, roots: dict[str, Path]) -> Path | None:
    """The source file of dotted module `name` if it lies under one of `roots` (prefix → dir)."""
    for prefix, root in roots.items():
        if name == prefix or name.startswith(prefix + "."):
            rel = name.split(".")[len(prefix.split(".")):]
            base = root.joinpath(*rel)
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    return candidate
    return None


def _imports(path: Path, package: str) -> set[str]:
    """Dotted names a module imports (absolute, and relative resolved against `package`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_closure(replication_dir: Path, package: str) -> list[Path]:
    """Every file of ibcore and of the replication that experiment.py reaches through imports.

    Found statically (by reading import statements), so modules used only by the report
    (figures, plots) and ibcore modules the replication never touches are left out.
    """
    ibcore_dir = Path(ibcore.__file__).parent
    roots = {"ibcore": ibcore_dir, package: replication_dir}
    seen: dict[Path, str] = {}
    todo = [(replication_dir / "experiment.py", package)]
    todo += [(ibcore_dir / name, "ibcore") for name in _RUN_MACHINERY]
    while todo:
        path, pkg = todo.pop()
        if path in seen or not path.is_file():
            continue
        if path.parent == ibcore_dir and path.name in _NOT_NUMERIC:
            continue
        seen[path] = pkg
        for name in _imports(path, pkg):
            found = _module_file(name, roots)
            if found is not None and found not in seen:
                is_pkg = found.name == "__init__.py"
                mod = name if is_pkg else name.rsplit(".", 1)[0]
                todo.append((found, mod if name.startswith(("ibcore", package)) else pkg))
    return sorted(seen, key=str)


def code_version(replication_dir: Path, package: str | None = None) -> str:
    """Hash of the code that can change a replication's numbers.

    That is the static import closure of its experiment.py within ibcore and the replication,
    plus the run machinery (seeding, context, runner, store). Part of every run key: editing an
    estimator a replication uses invalidates its runs; editing another paper's code, the CLI,
    the reports or a figure module does not.
    """
    package = package or f"replications.{replication_dir.name}"
    ibcore_dir = Path(ibcore.__file__).parent
    digest = hashlib.sha256()
    for path in import_closure(replication_dir, package):
        rel = path.relative_to(ibcore_dir.parent if path.is_relative_to(ibcore_dir)
                               else replication_dir.parent)
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class RunSpec:
    """Everything that determines a run's numbers."""

    paper: str
    experiment: str
    profile: str
    params: dict[str, Any]
    seed: int
    code: str
    device: str = "cpu"

    def identity(self) -> dict[str, Any]:
        """What the run key hashes. The device joins it only when it is not the CPU, so that a
        CUDA run (whose rounding differs) never reuses a CPU result, while every CPU key stays
        as it was before devices existed."""
        ident = {
            "paper": self.paper,
            "experiment": self.experiment,
            "profile": self.profile,
            "params": self.params,
            "seed": self.seed,
            "code": self.code,
            "ibcore_version": ibcore.__version__,
        }
        if self.device != "cpu":
            ident["device"] = self.device
        return ident

    @property
    def key(self) -> str:
        blob = json.dumps(self.identity(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:20]

    @property
    def label(self) -> str:
        return f"{self.paper}/{self.experiment} seed {self.seed}"


def canonical_metrics(metrics: Any, path: str = "") -> Any:
    """Convert to plain JSON types, rejecting NaN/inf with the dotted path of the culprit."""
    if isinstance(metrics, dict):
        out = {}
        for k, v in metrics.items():
            if not isinstance(k, str):
                raise StoreError(f"metric key {k!r} at '{path}' is not a string")
            out[k] = canonical_metrics(v, f"{path}.{k}" if path else k)
        return out
    if isinstance(metrics, list | tuple | np.ndarray):
        return [canonical_metrics(v, f"{path}[{i}]") for i, v in enumerate(metrics)]
    if isinstance(metrics, bool | np.bool_):
        return bool(metrics)
    if isinstance(metrics, int | np.integer):
        return int(metrics)
    if isinstance(metrics, float | np.floating):
        value = float(metrics)
        if not math.isfinite(value):
            raise StoreError(f"metric '{path}' is {value} (NaN/inf metrics are rejected)")
        return value
    if isinstance(metrics, str) or metrics is None:
        return metrics
    raise StoreError(f"metric '{path}' has unsupported type {type(metrics).__name__}")


def dumps_metrics(metrics: dict[str, Any]) -> str:
    return json.dumps(canonical_metrics(metrics), sort_keys=True, indent=1, allow_nan=False) + "\n"


class RunStore:
    """Read and write runs under one home folder."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home is not None else store_home()

    def run_dir(self, spec: RunSpec) -> Path:
        return self.home / spec.paper / spec.experiment / spec.key

    def failed_path(self, spec: RunSpec) -> Path:
        return self.home / spec.paper / spec.experiment / "failed" / f"{spec.key}.json"

    def is_done(self, spec: RunSpec) -> bool:
        return (self.run_dir(spec) / "done").is_file()

    def write(
        self,
        spec: RunSpec,
        metrics: dict[str, Any],
        arrays: dict[str, np.ndarray],
        provenance: dict[str, Any],
    ) -> Path:
        """Store a finished run atomically; returns its folder."""
        text = dumps_metrics(metrics)  # validates before anything touches the disk
        final = self.run_dir(spec)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{spec.key}-", dir=final.parent))
        try:
            (tmp / "run.json").write_text(json.dumps(spec.identity(), sort_keys=True, indent=1))
            (tmp / "metrics.json").write_text(text)
            if arrays:
                np.savez_compressed(tmp / "arrays.npz", **arrays)
            (tmp / "provenance.json").write_text(json.dumps(provenance, sort_keys=True, indent=1))
            (tmp / "done").write_text("")
            if final.exists():  # an earlier, unfinished attempt: never trusted
                shutil.rmtree(final)
            os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.failed_path(spec).unlink(missing_ok=True)
        return final

    def record_failure(self, spec: RunSpec, error: str) -> None:
        path = self.failed_path(spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"run": spec.identity(), "error": error}, indent=1))
        os.replace(tmp, path)

    def clean_partial(self, spec: RunSpec) -> None:
        """Remove leftovers of interrupted attempts at this run (no `done` marker)."""
        parent = self.run_dir(spec).parent
        if not parent.is_dir():
            return
        for leftover in parent.glob(f".tmp-{spec.key}-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        final = self.run_dir(spec)
        if final.exists() and not self.is_done(spec):
            shutil.rmtree(final)

    def metrics(self, spec: RunSpec) -> dict[str, Any]:
        path = self.run_dir(spec) / "metrics.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: unreadable stored metrics ({exc})") from exc

    def provenance(self, spec: RunSpec) -> dict[str, Any]:
        path = self.run_dir(spec) / "provenance.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def arrays(self, spec: RunSpec) -> dict[str, np.ndarray]:
        path = self.run_dir(spec) / "arrays.npz"
        if not path.is_file():
            return {}
        with np.load(path) as npz:
            return {k: npz[k] for k in npz.files}
