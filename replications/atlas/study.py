"""`atlas.toml`, the atlas's data: its sampling sizes, estimator settings and claims, read once.

Errors name the file and the row (``atlas.toml: settings #3: …``), like the replications'
config and claims files.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

STUDY_FILE = Path(__file__).with_name("atlas.toml")

SETTING_KEYS = {"family", "scale", "value", "params"}
CLAIM_KEYS = {"id", "title", "paper", "experiment", "series", "rule_paper", "rule"}


class StudyError(ValueError):
    """atlas.toml is malformed; the message names the file and the row."""


@lru_cache(maxsize=1)
def study(path: Path = STUDY_FILE) -> dict[str, Any]:
    """The parsed file, with every row's keys checked."""
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: malformed TOML ({exc})") from None
    for table, keys in (("settings", SETTING_KEYS), ("claims", CLAIM_KEYS)):
        rows = data.get(table)
        if not isinstance(rows, list) or not rows:
            raise StudyError(f"{path}: needs at least one [[{table}]] row")
        for i, row in enumerate(rows):
            if set(row) != keys:
                raise StudyError(f"{path}: {table} #{i}: keys {sorted(row)}, expected "
                                 f"{sorted(keys)}")
    return data


def sampling(name: str) -> Any:
    """One value of the `[sampling]` table."""
    table = study().get("sampling", {})
    if name not in table:
        raise StudyError(f"{STUDY_FILE}: [sampling] has no {name!r}")
    return table[name]


def resolve_params(params: dict[str, Any]) -> dict[str, Any]:
    """Estimator parameters with every `{ sampling = "name" }` value replaced by that value."""
    return {k: sampling(v["sampling"]) if isinstance(v, dict) else v for k, v in params.items()}
