"""Cache of re-estimates: one JSON file per (run, estimator setting).

Layout: ``$IBREP_HOME/atlas/<paper>/<experiment>/<run key>/<code>/<setting key>.json`` with
``{"setting": …, "ixt": [[layer 1 over epochs], …]}``. ``<code>`` hashes the source of the
estimators (``ibcore/mi``), of the atlas modules that turn activations into numbers and the
``[sampling]`` table of ``atlas.toml`` (a setting's own parameters are in its key), so an
edited estimator never reads stale values. Files are written to a temporary name and renamed
into place, so a killed atlas leaves no half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import ibcore.mi as mi
from ibcore.store import RunSpec, RunStore
from replications.atlas.grid import Setting
from replications.atlas.study import study

_ATLAS_NUMERIC = ("estimate.py", "adaptive.py", "grid.py", "sources.py", "study.py")


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the code that can change a cached value."""
    atlas_dir = Path(__file__).parent
    mi_dir = Path(mi.__file__).parent
    files = [atlas_dir / n for n in _ATLAS_NUMERIC] + sorted(mi_dir.glob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(study()["sampling"], sort_keys=True).encode())
    return digest.hexdigest()[:12]


def cache_path(store: RunStore, spec: RunSpec, setting: Setting) -> Path:
    return (store.home / "atlas" / spec.paper / spec.experiment / spec.key / code_hash()
            / f"{setting.key}.json")


def read(store: RunStore, spec: RunSpec, setting: Setting) -> dict[str, Any] | None:
    """The cached entry, or None when absent or unreadable (then it is recomputed)."""
    path = cache_path(store, spec, setting)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def write(store: RunStore, spec: RunSpec, setting: Setting, entry: dict[str, Any]) -> Path:
    """Write an entry atomically (temporary file + rename)."""
    path = cache_path(store, spec, setting)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(entry, fh, allow_nan=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
