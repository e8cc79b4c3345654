"""Claim templates: many claims of claims.toml from one template and one table of numbers.

A paper's table of results becomes one `[published.<table>]` table (row key → its numbers,
each published number written once) and a few `[[claim_templates]]`. A template has `axes`
(their product gives one claim per cell, as a config grid does), `rows` (name → "table:key
template", binding a row of a published table as `{name.column}`), optional
`per.<axis>.<value>` and `cells.<claim id>` overrides of its fields, and every other field
of a claim written with `{placeholders}` (see `ibcore.grids.fill`). File-level
`[vars.<axis>.<value>]` tables add variables (labels, table numbers) for cells with that
axis value. Fields this module does not know are copied into every claim, filled, so the
output is exactly the raw claim tables `ibcore.claims` parses from `[[claims]]`.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ibcore.errors import ConfigError
from ibcore.grids import AxisValue, axis_label, fill, parse_axes, parse_per, per_overrides, product

_STRUCTURE = {"axes", "rows", "per", "cells"}


def _published(data: dict[str, Any], path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    tables = data.get("published", {})
    if not isinstance(tables, dict) or not all(
        isinstance(t, dict) and all(isinstance(r, dict) for r in t.values())
        for t in tables.values()
    ):
        raise ConfigError(f"{path}: [published.<table>] must map row keys to tables of numbers")
    return tables


def _context(
    cell: dict[str, AxisValue],
    variables: dict[str, Any],
    rows: dict[str, str],
    published: dict[str, dict[str, dict[str, Any]]],
    where: str,
) -> dict[str, Any]:
    """The placeholders a cell may use: its axis values, their vars, its bound published rows."""
    context: dict[str, Any] = dict(cell)
    for axis, value in cell.items():
        context.update(variables.get(axis, {}).get(axis_label(value), {}))
    for name, ref in rows.items():
        table, _, key = fill(ref, context, f"{where}, rows.{name}").partition(":")
        if table not in published:
            raise ConfigError(f"{where}, rows.{name}: no [published.{table}] table")
        if key not in published[table]:
            raise ConfigError(f"{where}, rows.{name}: [published.{table}] has no row {key!r}")
        context[name] = SimpleNamespace(**published[table][key])
    return context


def expand_template(
    template: dict[str, Any],
    variables: dict[str, Any],
    published: dict[str, dict[str, dict[str, Any]]],
    where: str,
) -> list[dict[str, Any]]:
    """The raw claims one `[[claim_templates]]` table stands for, in product order."""
    if not isinstance(template.get("id"), str):
        raise ConfigError(f"{where}: needs id = \"<template with every axis>\"")
    where = f"{where} '{template['id']}'"
    axes = parse_axes(template.get("axes"), where)
    rows = template.get("rows", {})
    if not isinstance(rows, dict) or not all(isinstance(r, str) for r in rows.values()):
        raise ConfigError(f"{where}: rows must map names to \"<published table>:<row key>\"")
    per = parse_per(template.get("per"), axes, where)
    cells = template.get("cells", {})
    fields = {k: v for k, v in template.items() if k not in _STRUCTURE}
    claims: list[dict[str, Any]] = []
    for cell in product(axes):
        context = _context(cell, variables, rows, published, where)
        cid = fill(fields["id"], context, f"{where}.id")
        raw = {**fields, **per_overrides(per, cell), **cells.get(cid, {})}
        claims.append(fill(raw, context, f"{where}, claim '{cid}'"))
    unknown = sorted(set(cells) - {c["id"] for c in claims})
    if unknown:
        raise ConfigError(f"{where}: cells {unknown} are not claims of this template")
    return claims


def expand_claim_templates(data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Every raw claim of a parsed claims.toml: its `[[claims]]`, then each template's claims."""
    claims = data.get("claims", [])
    templates = data.get("claim_templates", [])
    if not templates:
        return claims
    if not isinstance(claims, list) or not isinstance(templates, list):
        raise ConfigError(f"{path}: [[claims]] and [[claim_templates]] must be arrays of tables")
    variables = data.get("vars", {})
    if not isinstance(variables, dict):
        raise ConfigError(f"{path}: [vars] must be a table vars.<axis>.<value> = {{…}}")
    published = _published(data, path)
    out = list(claims)
    for i, template in enumerate(templates):
        out += expand_template(template, variables, published, f"{path}: claim template #{i + 1}")
    return out
