"""Find replications by path and load their config, claims and experiment functions.

A replication is a folder `<root>/<name>/` holding config.toml, claims.toml and experiment.py.
Roots: the `replications` package, then any folders listed in `$IBREP_REPLICATIONS_PATH`
(os.pathsep-separated; used by the tests to plug in small fixture replications). A folder's
optional short name (what the Makefile targets use) is `short` in its config.toml `[meta]`;
ibcore itself names no replication.

The scan of the roots (folder names and short names) is done once per process for each set of
roots; :func:`get` then hands out a :class:`Replication` object for the folder, whose config and
claims are read from disk when first asked for on that object.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import replications
from ibcore.config import ReplicationConfig, load_config

ExperimentFn = Callable[[dict[str, Any], Any], dict[str, Any]]


class UnknownReplication(LookupError):
    """The named replication does not exist."""


def _roots() -> tuple[Path, ...]:
    roots = [Path(p) for p in replications.__path__]
    extra = os.environ.get("IBREP_REPLICATIONS_PATH", "")
    roots += [Path(p) for p in extra.split(os.pathsep) if p]
    return tuple(roots)


def _short_name(config: Path) -> str | None:
    """`[meta] short` of a config.toml, or None (a malformed file is reported by load_config)."""
    try:
        meta = tomllib.loads(config.read_text()).get("meta", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    short = meta.get("short") if isinstance(meta, dict) else None
    return short if isinstance(short, str) else None


@dataclass(frozen=True)
class Found:
    """One scan of the roots: full name → (folder, built in), and short name → full name."""

    folders: dict[str, tuple[Path, bool]]
    short: dict[str, str]


@lru_cache(maxsize=8)
def _scan(roots: tuple[Path, ...]) -> Found:
    """Every replication folder under `roots` (the first root holding a name wins)."""
    builtin_root = Path(replications.__path__[0])
    folders: dict[str, tuple[Path, bool]] = {}
    short: dict[str, str] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for directory in sorted(root.iterdir()):
            config = directory / "config.toml"
            if directory.name in folders or not config.is_file():
                continue
            folders[directory.name] = (directory, root == builtin_root)
            alias = _short_name(config)
            if alias is not None and alias != directory.name:
                short.setdefault(alias, directory.name)
    return Found(folders, short)


def available() -> list[str]:
    """Names of every replication that has a config.toml, sorted."""
    return sorted(_scan(_roots()).folders)


def short_names() -> dict[str, str]:
    """Short name (`[meta] short` of config.toml) → full name, for every replication."""
    return dict(_scan(_roots()).short)


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


def get(name: str | Replication) -> Replication:
    """Look a replication up by full name (its folder) or short name (`[meta] short`).

    A `Replication` object is returned as it is, so callers may pass objects or names.
    """
    if isinstance(name, Replication):
        return name
    found = _scan(_roots())
    full = found.short.get(name, name)
    if full in found.folders:
        directory, builtin = found.folders[full]
        if (directory / "config.toml").is_file():
            return Replication(full, directory, builtin=builtin)
    raise UnknownReplication(
        f"unknown replication {name!r}; available: {', '.join(available()) or 'none'}"
    )
