"""Grids: one table of config.toml that generates many experiments (a product of axes).

A paper's table is a product (initialiser × depth × method); DomainBed's sweeps write it so.
`[grid.<g>]` names the axes and a name template; the product of the axes gives one experiment
per cell, whose settings are the grid's `base`, then `per.<axis>.<value>` overrides for the
cell's value of each axis (in the order the axes are declared), then `cells.<experiment>`.
Profiles override a whole grid with `[profiles.<p>.<g>]` (its own `per` sub-table narrows an
override to the cells with one axis value) and one cell with `[profiles.<p>.<experiment>]`.

Strings may hold `{axis}` placeholders (Python `str.format` syntax, `{{` for a literal brace);
a string that is exactly one placeholder takes the axis value with its type (`depth = "{depth}"`
gives the int). A value written `{ expr = "…" }` is computed: arithmetic (+ − × / **) on
numbers and placeholders' names, with `round`, `sqrt`, `abs`, `min`, `max`. `expand_grids`
turns the grids into plain `[base.*]` and `[profiles.*.*]` tables, so everything downstream
(validation, `resolve`, run keys) sees ordinary experiments.
See docs/CONTRACTS.md for an example.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibcore.errors import ConfigError

AxisValue = str | int | float | bool
_WHOLE = re.compile(r"^\{([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\}$")
_FORMATTER = string.Formatter()
# experiment name → (its cell: axis → value, its settings)
Cells = dict[str, tuple[dict[str, AxisValue], dict[str, Any]]]


def _dig(context: dict[str, Any], dotted: str) -> Any:
    """`a.b.c` → context['a'].b.c (attributes of namespaces or keys of dicts)."""
    head, *rest = dotted.split(".")
    value = context[head]
    for part in rest:
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "round": round, "sqrt": math.sqrt, "abs": abs, "min": min, "max": max,
}


def _evaluate(node: ast.AST, context: dict[str, Any]) -> Any:
    """Value of an arithmetic expression tree; anything but the allowed forms is a ValueError."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.Name | ast.Attribute):
        return _dig(context, ast.unparse(node))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left, context),
                                         _evaluate(node.right, context))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand, context))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS and not node.keywords):
        return _FUNCTIONS[node.func.id](*(_evaluate(a, context) for a in node.args))
    raise ValueError(f"'{ast.unparse(node)}' is not arithmetic on numbers and names "
                     f"(functions: {', '.join(_FUNCTIONS)})")


def compute(expression: Any, context: dict[str, Any], where: str) -> Any:
    """The value of `{ expr = "…" }`: arithmetic on numbers and the names of `context`."""
    if not isinstance(expression, str):
        raise ConfigError(f"{where}: expr must be a string, got {expression!r}")
    try:
        return _evaluate(ast.parse(expression, mode="eval").body, context)
    except (KeyError, AttributeError) as exc:
        raise ConfigError(f"{where}: expr {expression!r} names nothing known ({exc})") from None
    except (SyntaxError, ValueError, TypeError, ArithmeticError) as exc:
        raise ConfigError(f"{where}: expr {expression!r} cannot be computed: {exc}") from None


def fill(value: Any, context: dict[str, Any], where: str) -> Any:
    """Fill `{name}` placeholders in every string of `value` (recursing into lists and tables).

    A string that is exactly one placeholder becomes the named value itself, keeping its type;
    a table `{ expr = "…" }` becomes the value of the expression (see `compute`). An unknown
    name is a ConfigError naming `where` and the placeholder.
    """
    if isinstance(value, dict) and set(value) == {"expr"}:
        return compute(value["expr"], context, where)
    if isinstance(value, dict):
        return {k: fill(v, context, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, context, where) for v in value]
    if not isinstance(value, str) or "{" not in value and "}" not in value:
        return value
    try:
        whole = _WHOLE.match(value)
        if whole:
            return _dig(context, whole.group(1))
        return _FORMATTER.vformat(value, (), context)
    except (KeyError, AttributeError, IndexError) as exc:
        raise ConfigError(f"{where}: placeholder in {value!r} names nothing known ({exc})"
                          ) from None
    except ValueError as exc:
        raise ConfigError(f"{where}: malformed placeholder in {value!r} ({exc})") from None


def axis_label(value: AxisValue) -> str:
    """An axis value as written as a TOML key in `per.<axis>.<value>`: 2 → "2", True → "true"."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse_axes(raw: Any, where: str) -> dict[str, list[AxisValue]]:
    """`axes = {name = [values…]}`: each a non-empty list of distinct scalars."""
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{where}: 'axes' must be a table axis → non-empty list of values")
    for axis, values in raw.items():
        if (not isinstance(values, list) or not values
                or not all(isinstance(v, str | int | float) for v in values)):
            raise ConfigError(f"{where}, axis '{axis}': must be a non-empty list of scalars")
        labels = [axis_label(v) for v in values]
        if len(set(labels)) != len(labels):
            raise ConfigError(f"{where}, axis '{axis}': repeated value in {values}")
    return dict(raw)


def product(axes: dict[str, list[AxisValue]]) -> list[dict[str, AxisValue]]:
    """Every cell of the axes, the last axis varying fastest (as `itertools.product`)."""
    return [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())]


def parse_per(raw: Any, axes: dict[str, list[AxisValue]], where: str) -> dict[str, dict]:
    """Check `per.<axis>.<value> = {…}`: the axis is declared and the value is one of its values."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 'per' must be a table per.<axis>.<value> = {{…}}")
    for axis, by_value in raw.items():
        if axis not in axes:
            raise ConfigError(f"{where}: per.{axis}: unknown axis; axes are {list(axes)}")
        labels = [axis_label(v) for v in axes[axis]]
        if not isinstance(by_value, dict):
            raise ConfigError(f"{where}: per.{axis} must be a table value → overrides")
        for label, table in by_value.items():
            if label not in labels:
                raise ConfigError(f"{where}: per.{axis}.{label}: not a value of axis '{axis}' "
                                  f"({labels})")
            if not isinstance(table, dict):
                raise ConfigError(f"{where}: per.{axis}.{label} must be a table of overrides")
    return raw


def per_overrides(per: dict[str, dict], cell: dict[str, AxisValue]) -> dict[str, Any]:
    """The `per` overrides that apply to `cell`, merged in the order the axes are declared."""
    merged: dict[str, Any] = {}
    for axis, value in cell.items():
        merged.update(per.get(axis, {}).get(axis_label(value), {}))
    return merged


@dataclass(frozen=True)
class Grid:
    """One `[grid.<g>]` table of config.toml, checked."""

    name: str
    template: str
    axes: dict[str, list[AxisValue]]
    base: dict[str, Any] = field(default_factory=dict)
    per: dict[str, dict] = field(default_factory=dict)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)

    def expand(self, where: str) -> Cells:
        """Experiment name → (its cell, its settings), in product order."""
        out: Cells = {}
        for cell in product(self.axes):
            name = fill(self.template, cell, f"{where}.name")
            if not isinstance(name, str) or name in out:
                raise ConfigError(f"{where}: name template {self.template!r} gives "
                                  f"{name!r} twice or not a string; put every axis in it")
            settings = {**self.base, **per_overrides(self.per, cell), **self.cells.get(name, {})}
            out[name] = (cell, fill(settings, cell, f"{where}, experiment '{name}'"))
        unknown = sorted(set(self.cells) - set(out))
        if unknown:
            raise ConfigError(f"{where}: cells {unknown} are not experiments of this grid")
        return out


_GRID_KEYS = {"name", "axes", "base", "per", "cells"}


def parse_grid(gname: str, raw: Any, path: Path) -> Grid:
    """Check the shape of `[grid.<gname>]`."""
    where = f"{path}: grid '{gname}'"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(raw) - _GRID_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; a grid has {sorted(_GRID_KEYS)}")
    if not isinstance(raw.get("name"), str):
        raise ConfigError(f"{where}: needs name = \"<template with every axis>\"")
    axes = parse_axes(raw.get("axes"), where)
    for key in ("base", "cells"):
        if not isinstance(raw.get(key, {}), dict):
            raise ConfigError(f"{where}: '{key}' must be a table")
    return Grid(gname, raw["name"], axes, raw.get("base", {}),
                parse_per(raw.get("per"), axes, where), raw.get("cells", {}))


def expand_grids(
    data: dict[str, Any], path: Path, reserved: Collection[str] = ()
) -> dict[str, Any]:
    """A config.toml's data with every `[grid.*]` replaced by the plain experiments it makes.

    Experiments from `[base.*]` come first, then each grid's in product order. A grid's name
    may not be an experiment's name; profile tables named after a grid apply to all its cells
    (before the cell's own profile table) and may set the cells' keys and the `reserved` ones
    (seeds, skip, …). Returns a new dict; `data` is not changed.
    """
    grids_raw = data.get("grid", {})
    if not grids_raw:
        return data
    if not isinstance(grids_raw, dict):
        raise ConfigError(f"{path}: 'grid' must hold [grid.<name>] tables")
    base = dict(data.get("base", {}))
    members: dict[str, tuple[Grid, Cells]] = {}
    for gname, raw in grids_raw.items():
        grid = parse_grid(gname, raw, path)
        cells = grid.expand(f"{path}: grid '{gname}'")
        clash = sorted(({gname} | set(cells)) & (set(base) | set(members)))
        if clash:
            raise ConfigError(f"{path}: grid '{gname}': name(s) {clash} already used by an "
                              "experiment or a grid")
        members[gname] = (grid, cells)
        base.update({name: settings for name, (_, settings) in cells.items()})
    profiles = {}
    for profile, tables in data.get("profiles", {}).items():
        if not isinstance(tables, dict):
            profiles[profile] = tables  # parse_config reports it
            continue
        profiles[profile] = _expand_profile(profile, tables, members, base, reserved, path)
    return {**{k: v for k, v in data.items() if k != "grid"}, "base": base, "profiles": profiles}


def _expand_profile(
    profile: str,
    tables: dict[str, Any],
    members: dict[str, tuple[Grid, Cells]],
    base: dict[str, dict[str, Any]],
    reserved: Collection[str],
    path: Path,
) -> dict[str, Any]:
    """One profile's tables with grid-wide overrides spread onto the grid's cells."""
    out = {name: table for name, table in tables.items() if name not in members}
    for gname, (grid, cells) in members.items():
        raw = tables.get(gname)
        if raw is None:
            continue
        where = f"{path}: profile '{profile}', grid '{gname}'"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: must be a table of overrides")
        per = parse_per(raw.get("per"), grid.axes, where)
        overall = {k: v for k, v in raw.items() if k != "per"}
        for name, (cell, _) in cells.items():
            merged = {**overall, **per_overrides(per, cell)}
            for key in merged:
                if key not in base[name] and key not in reserved:
                    raise ConfigError(f"{where}, key '{key}': unknown key (experiment '{name}' "
                                      "of the grid does not declare it)")
            out[name] = {**fill(merged, cell, where), **tables.get(name, {})}
    return out

