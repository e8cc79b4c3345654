"""`ibcore.stored_runs`: the one call a study reads another replication's runs and arrays with."""

from __future__ import annotations

import numpy as np
import pytest

from ibcore import registry
from ibcore.cli import main
from ibcore.runner import plan
from ibcore.store import RunStore, StoreError
from ibcore.stored_runs import MissingArrays, stored_run, stored_runs


def test_finds_finished_and_missing_runs_and_reads_their_arrays(toy):
    store = RunStore()
    before = stored_runs("toy", "smoke", ["fit"], store)
    assert before.done == [] and before.missing == plan("toy", "smoke", experiments=["fit"])
    assert main(["run", "toy", "--profile", "smoke", "--experiments", "fit", "--seeds", "0",
                 "--quiet"]) == 0
    after = stored_runs("toy", "smoke", ["fit"], store)
    assert [r.spec.seed for r in after.done] == [0]
    assert [s.seed for s in after.missing] == [1, 2, 3, 4]
    assert after.of("fit") == after.done and after.of("curve") == []
    assert stored_runs(registry.get("toy"), "smoke", ["fit"], store) == after  # object or name
    run = after.done[0]
    x = run.arrays()["x"]
    assert x.shape == (200,) and x.dtype == np.float32  # the toy's ctx.save_arrays(x=…)
    assert run.metrics()["slope"] == pytest.approx(2.0, abs=0.3)
    assert run.arrays_bytes == run.arrays_path.stat().st_size > 0


def test_missing_arrays_and_missing_run_name_the_run(toy):
    store = RunStore()
    assert main(["run", "toy", "--profile", "smoke", "--experiments", "fit", "--quiet"]) == 0
    run, other, *_ = stored_runs("toy", "smoke", ["fit"], store).done
    run.arrays_path.unlink()
    with pytest.raises(MissingArrays) as err:
        run.arrays()
    assert run.spec.label in str(err.value) and run.spec.key in str(err.value)
    assert "arrays.npz" in str(err.value) and run.arrays_bytes == 0
    assert other.arrays()["x"].shape == (200,)
    spec = plan("toy", "smoke", experiments=["curve"])[0]
    with pytest.raises(StoreError, match="not in the store"):
        stored_run(spec, store)
