"""mao2021: the experiment grid, the published tables and the training helpers agree."""

from pathlib import Path

import numpy as np
import torch

from ibcore.config import load_config, load_toml
from ibcore.nn.mlp import MLP
from replications.mao2021 import init_runs
from replications.mao2021.experiment import EXPERIMENTS
from replications.mao2021.tables import ARCHS, FU, MAO, mao_name, nsr_name
from replications.mao2021.training import summarise

CONFIG = Path(__file__).parents[1] / "replications" / "mao2021" / "config.toml"
CLAIMS = CONFIG.with_name("claims.toml")


def test_every_published_cell_is_an_experiment_with_the_right_net():
    assert len(EXPERIMENTS) == len(MAO) + len(FU)
    cfg = load_config(CONFIG)
    assert set(cfg.experiments) == set(EXPERIMENTS)
    for init, layers, method in MAO:
        base = cfg.base[mao_name(init, layers, method)]
        assert base["widths"] == ARCHS[layers]
        assert len(base["alphas"]) == layers - 1
        assert (base["init"], base["method"]) == (init, method)


def test_tables_py_agrees_with_the_published_tables_of_claims_toml():
    # tables.py (read by experiment.py and the report) keeps its own copy of the numbers so
    # that the code hash of the runs stays the same; this keeps the two copies equal.
    published = load_toml(CLAIMS)["published"]
    mao = {mao_name(*key): {"error": c.mean, "std": c.std, "epoch": c.epoch}
           for key, c in MAO.items()}
    fu = {nsr_name(*key): {"error": c.mean, "std": c.std} for key, c in FU.items()}
    for table, ours in (("mao", mao), ("fu", fu)):
        theirs = {k: {f: v for f, v in row.items() if f != "abs_tol"}
                  for k, row in published[table].items()}
        assert theirs == ours


def test_quick_profile_runs_only_the_two_layer_rows_and_mlp3_nsr():
    resolved = load_config(CONFIG).resolve("quick")
    ran = {name for name, e in resolved.items() if not e.skip}
    assert ran == {mao_name(i, 2, m) for i, _, m in MAO} | {"nsr_mlp3_ce", "nsr_mlp3_nsr"}


def test_summarise_reports_first_minimum_with_one_based_epoch():
    s = summarise([3.0, 2.5, 2.0, 2.0, 2.4])
    assert s == {"min_error": 2.0, "min_epoch": 3, "final_error": 2.4, "epochs": 5}


def test_ablation_methods_use_a_single_criterion():
    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(300, 12, generator=g), torch.randint(0, 10, (300,), generator=g)
    scores = {}
    for method in ("tie", "iim", "ibci"):
        cfg = {"method": method, "init": "xavier", "widths": [12, 8, 10], "alphas": [0.5]}
        g1 = torch.Generator().manual_seed(1)
        scores[method] = init_runs.initialise(MLP(cfg["widths"]), cfg, x, y, g1)[0]
    # same candidate pool (same stream); TIE ranks by S_B - S_W, IIM by variance
    assert np.argmax(scores["tie"].scores) == np.argmax(scores["tie"].tie)
    assert np.argmax(scores["iim"].scores) == np.argmax(scores["iim"].iim)
    assert np.allclose(scores["tie"].iim, scores["iim"].iim)


def test_models_trained_together_match_each_trained_alone():
    """The target design: several inits/methods of one seed in one ensemble, one minibatch
    order, NSR through the per-model loss callback — each model bitwise as if alone."""
    import torch

    from ibcore.context import RunContext
    from ibcore.nn.mlp import MLP
    from ibcore.nn.nsr import StackedNSRTerm
    from replications.mao2021.training import Split, train

    g = torch.Generator().manual_seed(0)
    x, y = torch.rand(300, 20, generator=g), torch.randint(0, 10, (300,), generator=g)
    split = Split(x[:200], y[:200], x[200:250], y[200:250], x[250:], y[250:])
    models = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        models.append(MLP([20, 16, 12, 10], "relu"))
    ctx = RunContext(seed=3, show_progress=False)
    both = train(models, split, 3, 0.1, 50, ctx,
                 extra_loss=StackedNSRTerm([0.0, 0.5], queue_length=3))
    alone = train(models[1:], split, 3, 0.1, 50, ctx,
                  extra_loss=StackedNSRTerm([0.5], queue_length=3))
    assert both[1] == alone[0]
    assert len(both[0]["test"]) == 3 and len(both[0]["val"]) == 3
    assert both[0]["test"] != both[1]["test"]
