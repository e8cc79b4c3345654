"""[grid.*] tables of config.toml: a product of axes becomes plain experiments, overrides apply
in a stated order, and every mistake is an error naming file, grid/profile and key."""

import copy

import pytest

from ibcore.config import ConfigError, parse_config
from ibcore.grids import fill

GRID = {
    "grid": {
        "g": {
            "name": "{act}_d{depth}",
            "axes": {"act": ["tanh", "relu"], "depth": [2, 3]},
            "base": {"seeds": 1, "activation": "{act}", "depth": "{depth}", "lr": 0.1,
                     "tag": "net-{act}-{depth}"},
            "per": {"depth": {"3": {"lr": 0.05}}},
            "cells": {"relu_d3": {"lr": 0.01}},
        }
    },
    "profiles": {
        "smoke": {"g": {"lr": 0.5, "per": {"act": {"relu": {"skip": True}}}},
                  "tanh_d2": {"lr": 0.25}},
        "quick": {},
        "paper": {"g": {"seeds": 3}},
    },
}


def cfg(edit=None):
    data = copy.deepcopy(GRID)
    if edit:
        edit(data)
    return parse_config(data, "cfg.toml")


def test_product_in_order_with_typed_placeholders():
    resolved = cfg().resolve("quick")
    assert list(resolved) == ["tanh_d2", "tanh_d3", "relu_d2", "relu_d3"]
    assert resolved["tanh_d2"].params == {"activation": "tanh", "depth": 2, "lr": 0.1,
                                          "tag": "net-tanh-2"}


def test_base_then_per_then_cell():
    lr = {name: e.params["lr"] for name, e in cfg().resolve("quick").items()}
    assert lr == {"tanh_d2": 0.1, "tanh_d3": 0.05, "relu_d2": 0.1, "relu_d3": 0.01}


def test_profile_grid_then_profile_per_then_profile_cell():
    smoke = cfg().resolve("smoke")
    assert {n: e.params["lr"] for n, e in smoke.items()} == {
        "tanh_d2": 0.25, "tanh_d3": 0.5, "relu_d2": 0.5, "relu_d3": 0.5}
    assert {n for n, e in smoke.items() if e.skip} == {"relu_d2", "relu_d3"}
    assert {e.seeds for e in cfg().resolve("paper").values()} == {(0, 1, 2)}


def test_a_grid_profile_table_may_set_every_reserved_key():
    def reserved(data):
        data["profiles"]["quick"] = {"g": {"deterministic": True, "seeds": 2, "skip": False}}
    quick = cfg(reserved).resolve("quick")
    assert {(e.deterministic, e.seeds, e.skip) for e in quick.values()} == {(True, (0, 1), False)}


def test_plain_experiments_come_first_and_grids_mix_with_them():
    def add_plain(data):
        data["base"] = {"plain": {"x": 1}}
    assert list(cfg(add_plain).resolve("quick"))[:2] == ["plain", "tanh_d2"]


def _set(path, value):
    def edit(data):
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return edit


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (_set(["grid", "g", "per", "width", "2"], {"lr": 1.0}),
         "grid 'g': per.width: unknown axis"),
        (_set(["grid", "g", "per", "depth", "4"], {"lr": 1.0}),
         "grid 'g': per.depth.4: not a value of axis 'depth'"),
        (_set(["grid", "g", "cells", "tanh_d9"], {"lr": 1.0}),
         "grid 'g': cells ['tanh_d9'] are not experiments"),
        (_set(["grid", "g", "name"], "{act}"), "gives 'tanh' twice"),
        (_set(["grid", "g", "base", "activation"], "{activation}"),
         "experiment 'tanh_d2'.activation: placeholder in '{activation}' names nothing"),
        (_set(["grid", "g", "axes", "depth"], []), "axis 'depth': must be a non-empty list"),
        (_set(["grid", "g", "size"], 3), "grid 'g': unknown key(s) ['size']"),
        (_set(["profiles", "smoke", "g", "lr_typo"], 1.0),
         "profile 'smoke', grid 'g', key 'lr_typo': unknown key"),
        (_set(["profiles", "smoke", "g", "per", "act", "gelu"], {"lr": 1.0}),
         "profile 'smoke', grid 'g': per.act.gelu: not a value"),
        (_set(["profiles", "smoke", "g", "lr"], "fast"),
         "profile 'smoke', key 'tanh_d3.lr': expected float, got str"),
        (_set(["base", "g"], {"x": 1}), "name(s) ['g'] already used"),
    ],
)
def test_mistakes_name_file_grid_or_profile_and_key(edit, fragment):
    with pytest.raises(ConfigError) as err:
        cfg(edit)
    assert str(err.value).startswith("cfg.toml: ")
    assert fragment in str(err.value)


def test_fill_keeps_types_recurses_and_escapes_braces():
    context = {"n": 3, "x": 0.5}
    assert fill({"a": ["{n}", "n={n}", "{{n}}"], "b": "{x:.2f}"}, context, "w") == {
        "a": [3, "n=3", "{n}"], "b": "0.50"}
    with pytest.raises(ConfigError, match="w: malformed placeholder"):
        fill("{n", context, "w")


def test_expr_computes_arithmetic_on_named_values():
    context = {"a": 1.93, "row": {"b": 2.04, "sd": 0.06}, "n": 3}
    assert fill({"gap": {"expr": "round(a - row.b, 3)"}}, context, "w") == {"gap": -0.11}
    assert fill({"expr": "round(sqrt(row.sd ** 2 + 0.03 ** 2), 3)"}, context, "w") == 0.067
    assert fill({"expr": "-n + max(n, 5) * 2"}, context, "w") == 7


@pytest.mark.parametrize(
    "expression, fragment",
    [
        ("a + missing", "names nothing known"),
        ("__import__('os')", "is not arithmetic on numbers and names"),
        ("'text' * 3", "is not arithmetic"),
        ("a +", "cannot be computed"),
        ("a / 0", "cannot be computed: float division by zero"),
    ],
)
def test_expr_rejects_what_is_not_arithmetic_and_names_where(expression, fragment):
    with pytest.raises(ConfigError) as err:
        fill({"expr": expression}, {"a": 1.0}, "claims.toml: claim 'c'.gap")
    assert str(err.value).startswith("claims.toml: claim 'c'.gap: expr ")
    assert fragment in str(err.value)
