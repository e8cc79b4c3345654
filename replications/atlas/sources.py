"""How the layer activations of the stored runs that feed the atlas are read.

Runs and their arrays are found only through :mod:`ibcore.stored_runs` (the documented call);
this module knows the layout each replication's ``ctx.save_arrays`` call writes:

* saxe2018 ``szt_tanh`` / ``szt_relu`` (12-bit task, 12-10-7-5-4-3-2): ``arrays.npz`` holds
  ``act_layer1`` … ``act_layerL`` of shape (logged epochs, 4096, width) in float16, the last
  being the sigmoid output layer (not a hidden layer, left out), plus ``epochs`` and ``labels``.
* gupta2021 ``planes_relu`` / ``planes_tanh`` (MNIST 784-W-20-20-20-10): ``activations`` of
  shape (snapshots, n_store, 60) — the three narrow hidden layers side by side, float16, on the
  first ``n_store`` test images — plus ``epoch`` (fractional within an epoch) and ``labels``.
  The atlas keeps the epoch-end snapshots, as the replication's ``*_epochs`` claims do; the
  wide first layer is not stored, so its claims read layers 2–4 only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ibcore.seeding import numpy_rng
from ibcore.store import RunSpec, RunStore, StoreError
from ibcore.stored_runs import MissingArrays, StoredRun, stored_run
from replications.atlas.grid import HSIC_SAMPLES, KDE_SAMPLES

GUPTA_NARROW = (20, 20, 20)


class AtlasError(RuntimeError):
    """A run cannot feed the atlas (e.g. its activation file is missing); names the run."""


@dataclass
class RunData:
    """The hidden-layer activations of one stored run, ready for re-estimation."""

    spec: RunSpec
    activation: str
    epochs: list[float]
    layers: list[np.ndarray]  # one (epochs, n, width) float array per hidden layer
    labels: np.ndarray
    inputs: np.ndarray | None
    kde_rows: np.ndarray | None
    hsic_rows: np.ndarray
    stored_bytes: int

    @property
    def n(self) -> int:
        return int(self.layers[0].shape[1])

    def history(self, layer: int) -> list[np.ndarray]:
        return [np.asarray(a, dtype=np.float64) for a in self.layers[layer]]


def subset(n: int, k: int, seed: int, stream: int) -> np.ndarray:
    """Sorted seeded subset of k of n rows (all rows when k <= 0 or k >= n).

    With stream 3 and a saxe2018 run's `kde_samples` this is the subset that run drew for its
    own KDE plane (`szt_experiment.kde_subset` with `ctx.numpy_rng(3)`).
    """
    if k <= 0 or k >= n:
        return np.arange(n)
    return np.sort(numpy_rng(seed, stream).choice(n, size=k, replace=False))


def _npz(store: RunStore, spec: RunSpec) -> tuple[dict[str, np.ndarray], Path]:
    run = StoredRun(spec, store)
    try:
        return run.arrays(), run.arrays_path
    except MissingArrays as exc:
        raise AtlasError(str(exc)) from None


def _need(arrays: dict[str, np.ndarray], key: str, spec: RunSpec, path: Path) -> np.ndarray:
    if key not in arrays:
        raise AtlasError(f"{spec.label} (run {spec.key}): {path} has no array {key!r} "
                         f"(has {sorted(arrays)})")
    return arrays[key]


def load_saxe(store: RunStore, spec: RunSpec) -> RunData:
    """A saxe2018 12-bit-task run (`szt_experiment.run`)."""
    from ibcore.data import szt

    arrays, path = _npz(store, spec)
    names = sorted((k for k in arrays if k.startswith("act_layer")), key=lambda k: int(k[9:]))
    if len(names) < 2:
        raise AtlasError(f"{spec.label} (run {spec.key}): {path} holds no layer activations")
    layers = [arrays[k] for k in names[:-1]]  # the last is the output layer
    labels = _need(arrays, "labels", spec, path)
    n = layers[0].shape[1]
    if "kde_idx" in arrays:  # the rows the run's own KDE plane used (the test patterns)
        kde_rows = np.asarray(arrays["kde_idx"], dtype=np.int64)
    else:  # runs from before the KDE moved to the test set: a random subset of all inputs
        k = int(spec.params.get("kde_samples", KDE_SAMPLES))
        kde_rows = subset(n, k if 0 < k <= KDE_SAMPLES else KDE_SAMPLES, spec.seed, 3)
    x, _ = szt()
    return RunData(
        spec, spec.params["activation"], [float(e) for e in _need(arrays, "epochs", spec, path)],
        layers, labels, np.asarray(x, dtype=np.float64), kde_rows,
        subset(n, HSIC_SAMPLES, spec.seed, 101), path.stat().st_size,
    )


def load_gupta(store: RunStore, spec: RunSpec) -> RunData:
    """A gupta2021 information-plane run (`planes.run`): epoch-end snapshots only."""
    from ibcore.data import mnist

    arrays, path = _npz(store, spec)
    acts = _need(arrays, "activations", spec, path)
    epoch = np.asarray(_need(arrays, "epoch", spec, path), dtype=float)
    ends = np.flatnonzero(np.isclose(epoch, np.round(epoch)))
    if acts.shape[2] != sum(GUPTA_NARROW):
        raise AtlasError(f"{spec.label} (run {spec.key}): activations of width {acts.shape[2]}, "
                         f"expected {sum(GUPTA_NARROW)}")
    bounds = np.cumsum((0,) + GUPTA_NARROW)
    layers = [acts[ends][:, :, lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]
    n = acts.shape[1]
    x = mnist().test_x[:n]
    return RunData(
        spec, spec.params["activation"], epoch[ends].tolist(), layers,
        np.asarray(_need(arrays, "labels", spec, path), dtype=np.int64),
        np.asarray(x, dtype=np.float64), subset(n, KDE_SAMPLES, spec.seed, 3),
        subset(n, HSIC_SAMPLES, spec.seed, 101), path.stat().st_size,
    )


LOADERS = {"saxe2018": load_saxe, "gupta2021": load_gupta}


def load_run(store: RunStore, spec: RunSpec) -> RunData:
    """Activations of one stored run; AtlasError naming the run when they are missing."""
    try:
        stored_run(spec, store)
    except StoreError as exc:
        raise AtlasError(str(exc)) from None
    try:
        loader = LOADERS[spec.paper]
    except KeyError:
        raise AtlasError(f"{spec.label}: the atlas cannot read {spec.paper} runs") from None
    return loader(store, spec)
