"""The pipeline behind ``ibrep atlas``: make sure the runs exist, re-estimate, judge, write.

1. The runs the atlas claims read (saxe2018 ``szt_tanh``/``szt_relu``, gupta2021
   ``planes_relu``) under the chosen profile are found with
   :func:`ibcore.stored_runs.stored_runs`; missing ones are run first with
   :func:`ibcore.sweep.run_sweep` (unless ``run_missing`` is false, when their claims are
   ``not_run``).
2. For every run and every :data:`~replications.atlas.grid.GRID` setting not yet cached, I(X;T) of
   every hidden layer at every kept epoch is re-estimated from the stored activations; one task
   per run, ``jobs`` runs side by side in a process pool (one BLAS thread each).
3. Every (claim, setting) cell gets its verdict; the page is written to
   ``<reports>/atlas.html`` and the reports index is refreshed.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from ibcore.store import RunSpec, RunStore
from ibcore.stored_runs import StoredRun, stored_runs
from replications.atlas import cache
from replications.atlas.estimate import LayerInputs, ity_series, ixt_series
from replications.atlas.grid import GRID, Setting
from replications.atlas.sources import AtlasError, RunData, load_run
from replications.atlas.verdicts import CLAIMS, AtlasClaim, Cell, evaluate_cell


@dataclass
class AtlasResult:
    """Everything the page shows."""

    profile: str
    cells: list[Cell]
    runs: dict[tuple[str, str], list[RunSpec]]
    stored_bytes: dict[str, int]
    plane: dict | None
    timings: dict[str, float] = field(default_factory=dict)
    computed: int = 0
    reused: int = 0
    page: Path | None = None


def layer_inputs(data: RunData, layer: int) -> LayerInputs:
    return LayerInputs(data.activation, data.spec.seed, layer, data.inputs, data.kde_rows,
                       data.hsic_rows)


def run_ixt(data: RunData, setting: Setting) -> list[list[float]]:
    """I(X;T) of every hidden layer of one run over its kept epochs, under one setting."""
    return [ixt_series(data.history(i), setting, layer_inputs(data, i))
            for i in range(len(data.layers))]


def compute_run(home: str, spec: RunSpec, keys: list[str]) -> tuple[RunSpec, int, int]:
    """Fill the cache of one run for the settings `keys`; returns (spec, computed, reused)."""
    store = RunStore(Path(home))
    todo = [s for s in GRID if s.key in keys and cache.read(store, spec, s) is None]
    if not todo:
        return spec, 0, len(keys)
    with threadpool_limits(limits=1):
        data = load_run(store, spec)
        for setting in todo:
            start = time.perf_counter()
            ixt = run_ixt(data, setting)
            cache.write(store, spec, setting, {
                "setting": setting.label, "params": setting.params, "epochs": data.epochs,
                "n_inputs": data.n, "ixt": ixt,
                "seconds": round(time.perf_counter() - start, 3),
            })
    return spec, len(todo), len(keys) - len(todo)


def needed() -> dict[str, list[str]]:
    """Paper → experiments the atlas claims read."""
    out: dict[str, list[str]] = {}
    for c in CLAIMS:
        out.setdefault(c.paper, [])
        if c.experiment not in out[c.paper]:
            out[c.paper].append(c.experiment)
    return out


def ensure_runs(
    profile: str, jobs: int, store: RunStore, run_missing: bool, log: Callable[[str], None]
) -> dict[tuple[str, str], list[RunSpec]]:
    """(paper, experiment) → its finished runs under `profile`, running missing ones first."""
    from ibcore.sweep import run_sweep

    runs: dict[tuple[str, str], list[RunSpec]] = {}
    for paper, experiments in needed().items():
        found = stored_runs(paper, profile, experiments, store)
        if found.missing and run_missing:
            log(f"atlas: running {len(found.missing)} missing {paper} run(s) ({profile})")
            run_sweep(found.missing, executor="process" if jobs > 1 else "serial", jobs=jobs,
                      store=store, show_progress=False, log=log)
            found = stored_runs(paper, profile, experiments, store)
        for exp in experiments:
            runs[(paper, exp)] = [r.spec for r in found.of(exp)]
    return runs


def _fill_cache(specs: list[RunSpec], store: RunStore, jobs: int) -> tuple[int, int]:
    keys = [s.key for s in GRID]
    home = str(store.home)
    if jobs <= 1 or len(specs) <= 1:
        results = [compute_run(home, s, keys) for s in specs]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            results = list(pool.map(compute_run, [home] * len(specs), specs,
                                    [keys] * len(specs)))
    return sum(r[1] for r in results), sum(r[2] for r in results)


def _cached_ixt(store: RunStore, spec: RunSpec, setting: Setting) -> tuple[list, int]:
    entry = cache.read(store, spec, setting)
    if entry is None:
        raise AtlasError(f"{spec.label}: no cached {setting.label} estimate")
    return entry["ixt"], int(entry["n_inputs"])


def judge(
    store: RunStore, runs: dict[tuple[str, str], list[RunSpec]]
) -> list[Cell]:
    """One cell per (claim, setting), from the cached estimates."""
    cells = []
    for claim in CLAIMS:
        specs = runs.get((claim.paper, claim.experiment), [])
        for setting in GRID:
            per_seed, n = [], 2
            for spec in specs:
                ixt, n = _cached_ixt(store, spec, setting)
                per_seed.append(ixt)
            cells.append(evaluate_cell(claim, setting, per_seed, n))
    return cells


def contrast(cells: list[Cell]) -> tuple[AtlasClaim, Setting, Setting] | None:
    """A claim and two settings with opposite verdicts, preferring two scales of one family."""
    pairs = []
    for claim in CLAIMS:
        mine = [c for c in cells if c.claim is claim]
        yes = [c for c in mine if c.verdict == "reproduced"]
        no = [c for c in mine if c.verdict == "not_reproduced"]
        for a in yes:
            for b in no:
                same = a.setting.family == b.setting.family
                pairs.append((not same, claim, a.setting, b.setting))
        if pairs:
            break
    if not pairs:
        return None
    pairs.sort(key=lambda p: p[0])
    _, claim, a, b = pairs[0]
    return claim, a, b


def plane_data(
    store: RunStore, runs: dict[tuple[str, str], list[RunSpec]], cells: list[Cell]
) -> dict | None:
    """I(X;T), I(T;Y) of one run under two contrasting settings (for the side-by-side figure)."""
    picked = contrast(cells)
    if picked is None:
        claim = CLAIMS[0]
        settings = [s for s in GRID if s.label in ("binning bins=30", "kde σ²=0.1")]
    else:
        claim, *settings = picked
    specs = runs.get((claim.paper, claim.experiment), [])
    if not specs or len(settings) != 2:
        return None
    data = load_run(store, specs[0])
    panels = []
    with threadpool_limits(limits=1):
        for setting in settings:
            ixt, _ = _cached_ixt(store, specs[0], setting)
            ity = [ity_series(data.history(i), data.labels, setting, layer_inputs(data, i))
                   for i in range(len(data.layers))]
            verdict = next(c.verdict for c in cells if c.claim is claim and c.setting == setting)
            panels.append({"setting": setting, "ixt": ixt, "ity": ity, "verdict": verdict})
    return {"claim": claim, "spec": specs[0], "epochs": data.epochs, "panels": panels}


def build_atlas(
    profile: str = "quick",
    jobs: int = 1,
    run_missing: bool = True,
    store: RunStore | None = None,
    out_dir: Path | None = None,
    log: Callable[[str], None] = print,
) -> AtlasResult:
    """Run what is missing, re-estimate over the grid, judge every cell, write the page."""
    from replications.atlas.page import write_page

    store = store or RunStore()
    t0 = time.perf_counter()
    runs = ensure_runs(profile, jobs, store, run_missing, log)
    t1 = time.perf_counter()
    specs = [s for group in runs.values() for s in group]
    computed, reused = _fill_cache(specs, store, jobs)
    t2 = time.perf_counter()
    cells = judge(store, runs)
    sizes = {f"{s.label} ({s.key})": StoredRun(s, store).arrays_bytes for s in specs}
    plane = plane_data(store, runs, cells)
    result = AtlasResult(profile, cells, runs, sizes, plane, computed=computed, reused=reused)
    result.timings = {"runs": t1 - t0, "estimates": t2 - t1,
                      "verdicts_and_planes": time.perf_counter() - t2}
    result.page = write_page(result, out_dir)
    result.timings["total"] = time.perf_counter() - t0
    log(f"atlas [{profile}]: {computed} estimate(s) computed, {reused} reused; "
        f"wrote {result.page} in {result.timings['total']:.0f} s")
    return result
