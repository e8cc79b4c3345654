"""Find replications by name and load their config, claims and experiment functions.

A replication is a folder `<root>/<name>/` holding config.toml, claims.toml and experiment.py.
Roots: the `replications` package, then any folders listed in `$IBREP_REPLICATIONS_PATH`
(os.pathsep-separated; used by the tests to plug in small fixture replications).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import replications
from ibcore.config import ReplicationConfig, load_config

# The papers the suite is built to cover; short names are what the Makefile targets use.
PLANNED = {
    "saxe": "saxe2018",
    "achille": "achille2018",
    "hu": "hu2019",
    "mao": "mao2021",
    "gupta": "gupta2021",
}

ExperimentFn = Callable[[dict[str, Any], Any], dict[str, Any]]


class UnknownReplication(LookupError):
    """The named replication does not exist (or is planned but not written yet)."""


def _roots() -> list[Path]:
    roots = [Path(p) for p in replications.__path__]
    extra = os.environ.get("IBREP_REPLICATIONS_PATH", "")
    roots += [Path(p) for p in extra.split(os.pathsep) if p]
    return roots


def available() -> list[str]:
    """Names of every replication that has a config.toml, sorted."""
    names = set()
    for root in _roots():
        if root.is_dir():
            names.update(d.name for d in root.iterdir() if (d / "config.toml").is_file())
    return sorted(names)


@dataclass(frozen=True)
class Replication:
    """One replication folder and lazy access to what it declares."""

    name: str
    directory: Path
    builtin: bool

    @cached_property
    def config(self) -> ReplicationConfig:
        return load_config(self.directory / "config.toml")

    @property
    def claims_path(self) -> Path:
        return self.directory / "claims.toml"

    @cached_property
    def claims(self) -> list:
        from ibcore.claims import load_claims

        return load_claims(self.claims_path, self.config)

    def experiments(self) -> dict[str, ExperimentFn]:
        """The `EXPERIMENTS` table of experiment.py; must name every experiment in config.toml."""
        module = self._import("experiment")
        table = getattr(module, "EXPERIMENTS", None)
        path = self.directory / "experiment.py"
        if not isinstance(table, dict):
            raise UnknownReplication(f"{path}: defines no EXPERIMENTS table")
        missing = [e for e in self.config.experiments if e not in table]
        if missing:
            raise UnknownReplication(f"{path}: EXPERIMENTS lacks {missing} named in config.toml")
        return table

    def _import(self, module: str):
        if self.builtin:
            return importlib.import_module(f"replications.{self.name}.{module}")
        package = f"ibrep_ext_{self.name}"
        if package not in sys.modules:
            spec = importlib.util.spec_from_file_location(
                package,
                self.directory / "__init__.py",
                submodule_search_locations=[str(self.directory)],
            )
            pkg = importlib.util.module_from_spec(spec)
            sys.modules[package] = pkg
            spec.loader.exec_module(pkg)
        return importlib.import_module(f"{package}.{module}")

    @property
    def readme(self) -> Path:
        return self.directory / "README.md"


def get(name: str) -> Replication:
    """Look a replication up by full name (`saxe2018`) or short name (`saxe`)."""
    full = PLANNED.get(name, name)
    builtin_root = Path(replications.__path__[0])
    for root in _roots():
        directory = root / full
        if (directory / "config.toml").is_file():
            return Replication(full, directory, builtin=root == builtin_root)
    if full in PLANNED.values():
        raise UnknownReplication(
            f"replication '{full}' is planned but not implemented yet (no replications/{full}/)"
        )
    raise UnknownReplication(
        f"unknown replication {name!r}; available: {', '.join(available()) or 'none'}"
    )
