"""Load and validate a replication's `config.toml` and resolve one profile.

Layout (see docs/CONTRACTS.md): `[meta]`, `[base.<experiment>]` with every key and its default,
and `[profiles.<profile>.<experiment>]` tables that override keys of the base. A profile may only
override keys the base declares, with a value of the same type (an int may stand for a float).
Every error names the file, the profile and the key. `[grid.<g>]` tables (see `ibcore.grids`)
generate experiments from a product of axes; they are expanded into plain base and profile
tables before any of this validation.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ibcore.errors import ConfigError
from ibcore.grids import expand_grids

PROFILES = ("smoke", "quick", "paper")
DEFAULT_PROFILE = "quick"
# Keys every experiment may set that are not passed to its run function: its seeds, whether a
# profile skips it, and whether its numbers are independent of the seed (closed forms, exact
# computations: their claims are decided by value, not by an interval over seeds).
RESERVED_KEYS = {"seeds": (int, list), "skip": (bool,), "deterministic": (bool,)}


@dataclass(frozen=True)
class ExperimentConfig:
    """One experiment's settings under one profile, ready for `run(cfg, ctx)`."""

    name: str
    params: dict[str, Any]
    seeds: tuple[int, ...]
    skip: bool
    deterministic: bool = False


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax errors into a ConfigError that names the file."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None


def _type_ok(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def _type_name(value: Any) -> str:
    return type(value).__name__


def parse_seeds(value: Any, where: str) -> tuple[int, ...]:
    """`seeds = 3` means seeds 0, 1, 2; a list names them."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: 'seeds' must be an int or a list of ints")
    if isinstance(value, int):
        if value < 1:
            raise ConfigError(f"{where}: 'seeds' must be at least 1, got {value}")
        return tuple(range(value))
    if isinstance(value, list) and value and all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in value
    ):
        return tuple(value)
    raise ConfigError(f"{where}: 'seeds' must be a positive int or a non-empty list of ints >= 0")


@dataclass(frozen=True)
class ReplicationConfig:
    """A parsed config.toml: its meta table and validated base and profile tables."""

    path: Path
    meta: dict[str, Any]
    base: dict[str, dict[str, Any]]
    profiles: dict[str, dict[str, dict[str, Any]]]

    @property
    def experiments(self) -> list[str]:
        return list(self.base)

    def resolve(self, profile: str) -> dict[str, ExperimentConfig]:
        """Every experiment's settings under `profile` (base overridden by the profile)."""
        if profile not in self.profiles:
            raise ConfigError(
                f"{self.path}: unknown profile {profile!r}; choose from {', '.join(PROFILES)}"
            )
        resolved = {}
        for name, defaults in self.base.items():
            params = {**defaults, **self.profiles[profile].get(name, {})}
            where = f"{self.path}: profile '{profile}', experiment '{name}'"
            seeds = parse_seeds(params.pop("seeds", 1), where)
            skip = bool(params.pop("skip", False))
            deterministic = bool(params.pop("deterministic", False))
            resolved[name] = ExperimentConfig(name, params, seeds, skip, deterministic)
        return resolved


def parse_config(data: dict[str, Any], path: Path) -> ReplicationConfig:
    """Validate the structure of a config.toml already parsed into `data` (grids expanded)."""
    unknown_top = set(data) - {"meta", "base", "profiles", "grid"}
    if unknown_top:
        raise ConfigError(f"{path}: unknown top-level table(s) {sorted(unknown_top)}")
    data = expand_grids(data, path, RESERVED_KEYS)
    base = data.get("base")
    if not isinstance(base, dict) or not base:
        raise ConfigError(f"{path}: needs a [base.<experiment>] table or a [grid.<g>] table")
    for name, table in base.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: base.{name} must be a table of settings")
        for key, kinds in RESERVED_KEYS.items():
            if key in table and not isinstance(table[key], kinds):
                raise ConfigError(f"{path}: base.{name}.{key} has the wrong type")
        if "seeds" in table:
            parse_seeds(table["seeds"], f"{path}: base.{name}")
    profiles = data.get("profiles", {})
    missing = [p for p in PROFILES if p not in profiles]
    if missing:
        raise ConfigError(f"{path}: missing profile table(s) {missing}; each of {PROFILES} needed")
    for profile, experiments in profiles.items():
        if profile not in PROFILES:
            raise ConfigError(f"{path}: unknown profile {profile!r}; allowed: {PROFILES}")
        for name, overrides in experiments.items():
            where = f"{path}: profile '{profile}'"
            if name not in base:
                raise ConfigError(f"{where}: unknown experiment {name!r} (not in [base])")
            if not isinstance(overrides, dict):
                raise ConfigError(f"{where}: '{name}' must be a table of overrides")
            for key, value in overrides.items():
                _check_override(base[name], key, value, f"{where}, key '{name}.{key}'")
    return ReplicationConfig(path, data.get("meta", {}), base, profiles)


def _check_override(defaults: dict[str, Any], key: str, value: Any, where: str) -> None:
    if key in RESERVED_KEYS:
        if key == "seeds":
            parse_seeds(value, where)
        elif not isinstance(value, bool):
            raise ConfigError(f"{where}: expected bool, got {_type_name(value)}")
        return
    if key not in defaults:
        raise ConfigError(f"{where}: unknown key (not declared in [base])")
    if not _type_ok(defaults[key], value):
        raise ConfigError(
            f"{where}: expected {_type_name(defaults[key])}, got {_type_name(value)} ({value!r})"
        )


def load_config(path: Path) -> ReplicationConfig:
    """Read and validate `path` (a replication's config.toml)."""
    return parse_config(load_toml(path), path)
