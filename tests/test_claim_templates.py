"""[[claim_templates]]: one template and one table of published numbers give the same raw
claims a hand-written [[claims]] list would, fields unknown to the expander included."""

import copy

import pytest

from ibcore.claim_templates import expand_claim_templates
from ibcore.claims import load_claims
from ibcore.config import ConfigError

DATA = {
    "published": {"t1": {"a_2": {"err": 2.5, "tol": 0.3}, "a_3": {"err": 1.75, "tol": 0.2},
                         "b_2": {"err": 3.0, "tol": 0.4}, "b_3": {"err": 2.0, "tol": 0.1}}},
    "vars": {"arm": {"a": {"Arm": "Arm A"}, "b": {"Arm": "Arm B"}}},
    "claims": [{"id": "hand_written"}],
    "claim_templates": [{
        "id": "{arm}_{depth}_error",
        "axes": {"arm": ["a", "b"], "depth": [2, 3]},
        "rows": {"cell": "t1:{arm}_{depth}", "base": "t1:a_{depth}"},
        "statement": "{Arm} depth {depth}: error {cell.err} % (vs {base.err:.1f})",
        "published": "{cell.err}",
        "abs_tol": "{cell.tol}",
        "profiles": ["paper"],
        "kind": "paper",
        "censored": {"metric": "err_{depth}", "below": "{cell.tol}", "reason": "{Arm} floor"},
        "per": {"depth": {"3": {"profiles": ["quick", "paper"]}}},
        "cells": {"b_3_error": {"profiles": ["smoke"]}},
    }],
}


def expand(edit=None):
    data = copy.deepcopy(DATA)
    if edit:
        edit(data)
    return expand_claim_templates(data, "claims.toml")


def test_hand_written_claims_first_then_one_per_cell_in_product_order():
    assert [c["id"] for c in expand()] == [
        "hand_written", "a_2_error", "a_3_error", "b_2_error", "b_3_error"]


def test_fields_filled_typed_and_unknown_fields_passed_through():
    claim = expand()[3]
    assert claim == {
        "id": "b_2_error", "statement": "Arm B depth 2: error 3.0 % (vs 2.5)",
        "published": 3.0, "abs_tol": 0.4, "profiles": ["paper"], "kind": "paper",
        "censored": {"metric": "err_2", "below": 0.4, "reason": "Arm B floor"},
    }


def test_per_axis_then_cell_overrides():
    profiles = {c["id"]: c.get("profiles") for c in expand()[1:]}
    assert profiles == {"a_2_error": ["paper"], "a_3_error": ["quick", "paper"],
                        "b_2_error": ["paper"], "b_3_error": ["smoke"]}


def _template(key, value):
    def edit(data):
        data["claim_templates"][0][key] = value
    return edit


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (_template("rows", {"cell": "t9:{arm}_{depth}"}), "rows.cell: no [published.t9] table"),
        (_template("rows", {"cell": "t1:{arm}_4"}), "[published.t1] has no row 'a_4'"),
        (_template("cells", {"c_2_error": {}}), "cells ['c_2_error'] are not claims"),
        (_template("per", {"depth": {"4": {}}}), "per.depth.4: not a value of axis 'depth'"),
        (_template("statement", "{Depth}"), "claim 'a_2_error'.statement: placeholder"),
        (_template("axes", {}), "'axes' must be a table"),
        (_template("id", 7), "claim template #1: needs id"),
    ],
)
def test_mistakes_name_file_template_and_key(edit, fragment):
    with pytest.raises(ConfigError) as err:
        expand(edit)
    assert str(err.value).startswith("claims.toml: claim template #1")
    assert fragment in str(err.value)


def test_load_claims_parses_templates_and_rejects_an_id_written_twice(tmp_path):
    path = tmp_path / "claims.toml"
    common = ('statement = "s"\nsource = "src"\nmetric = "m"\nrule = "within"\nkind = "check"\n'
              'abs_tol = 0.1\nwhy = "w"\nprofiles = ["quick"]\nexpect = "reproduced"\n')
    template = ('[published.t]\nx = { v = 1.5 }\ny = { v = 2.5 }\n\n[[claim_templates]]\n'
                'id = "{k}_claim"\naxes.k = ["x", "y"]\nrows.r = "t:{k}"\nexperiment = "e_{k}"\n'
                'published = "{r.v}"\n' + common)
    path.write_text(template)
    claims = load_claims(path)
    assert [(c.id, c.experiment, c.published) for c in claims] == [
        ("x_claim", "e_x", 1.5), ("y_claim", "e_y", 2.5)]
    path.write_text('[[claims]]\nid = "y_claim"\nexperiment = "e"\npublished = 1.0\n'
                    + common + "\n" + template)
    with pytest.raises(ConfigError, match=r"duplicate claim id\(s\) \['y_claim'\]"):
        load_claims(path)
