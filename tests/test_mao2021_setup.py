"""mao2021: the experiment grid, the published tables and the training helpers agree."""

from pathlib import Path

import torch

from ibcore.config import load_config, load_toml
from replications.mao2021.experiment import EXPERIMENTS
from replications.mao2021.nsr_runs import best_validation_epoch
from replications.mao2021.tables import (
    ARCHS,
    FU,
    MAO,
    METHODS,
    NSR_ARCHS,
    mao_experiment,
    mao_name,
    nsr_experiment,
    nsr_name,
)
from replications.mao2021.training import summarise

CONFIG = Path(__file__).parents[1] / "replications" / "mao2021" / "config.toml"
CLAIMS = CONFIG.with_name("claims.toml")


def test_one_experiment_per_depth_trains_every_init_and_method_of_the_tables():
    cfg = load_config(CONFIG)
    assert set(cfg.experiments) == set(EXPERIMENTS)
    for layers, widths in ARCHS.items():
        base = cfg.base[mao_experiment(layers)]
        assert base["widths"] == widths
        assert len(base["alphas"]) == layers - 1
        assert base["score"] == "l2std" and base["class_groups"] is True
        assert set(base["inits"]) == {i for i, _, _ in MAO}
        assert tuple(base["methods"]) == METHODS
        arm = cfg.base[mao_experiment(layers, "minmax")]
        assert arm["score"] == "minmax" and arm["widths"] == widths
        assert set(arm["methods"]) == {"ibci", "tie", "iim"}
    for net, widths in NSR_ARCHS.items():
        authors = cfg.base[nsr_experiment(net)]
        assert (authors["layer"], authors["queue_length"]) == (-1, 5)
        assert authors["losses"] == ["ce", "nsr"] and authors["widths"] == widths
        ours = cfg.base[nsr_experiment(net, "hidden")]
        assert (ours["layer"], ours["queue_length"], ours["losses"]) == (-2, 10, ["nsr"])


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


def test_quick_profile_runs_the_two_layer_rows_and_mlp3_nsr_on_five_seeds():
    resolved = load_config(CONFIG).resolve("quick")
    ran = {name: e for name, e in resolved.items() if not e.skip}
    assert set(ran) == {"mlp2_l2std", "mlp2_minmax", "nsr_mlp3_logits", "nsr_mlp3_hidden"}
    assert all(len(e.seeds) >= 5 for e in ran.values())


def test_paper_profile_runs_every_experiment_full_size_for_100_epochs_on_five_seeds():
    for e in load_config(CONFIG).resolve("paper").values():
        assert not e.skip and len(e.seeds) >= 5
        assert e.params["epochs"] == 100 and e.params["n_train"] == 0
        assert e.params["n_test"] == 0


def test_summarise_reports_first_minimum_with_one_based_epoch():
    s = summarise([3.0, 2.5, 2.0, 2.0, 2.4])
    assert s == {"min_error": 2.0, "min_epoch": 3, "final_error": 2.4, "epochs": 5}


def test_best_validation_epoch_takes_the_later_of_tied_epochs():
    assert best_validation_epoch([3.0, 2.0, 2.5, 2.0, 2.2]) == 3
    assert best_validation_epoch([1.0, 2.0]) == 0


def test_models_trained_together_match_each_trained_alone():
    """The design: several inits/methods of one seed in one ensemble, one minibatch order,
    NSR through the per-model loss callback — each model bitwise as if alone."""
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
                 extra_loss=StackedNSRTerm([0.0, 0.5], queue_length=3, layer=-1))
    alone = train(models[1:], split, 3, 0.1, 50, ctx,
                  extra_loss=StackedNSRTerm([0.5], queue_length=3, layer=-1))
    assert both[1] == alone[0]
    assert len(both[0]["test"]) == 3 and len(both[0]["val"]) == 3
    assert both[0]["test"] != both[1]["test"]
