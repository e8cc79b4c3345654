"""config.toml validation: profiles inherit from base; every error names file, profile, key."""

import pytest

from ibcore.config import ConfigError, load_config, parse_config

BASE = {
    "base": {"exp": {"seeds": 2, "lr": 0.1, "epochs": 10, "act": "tanh", "flag": False}},
    "profiles": {"smoke": {"exp": {"epochs": 1}}, "quick": {}, "paper": {"exp": {"seeds": [3, 4]}}},
}


def cfg(**profile_overrides):
    data = {"base": BASE["base"], "profiles": {**BASE["profiles"], **profile_overrides}}
    return parse_config(data, "cfg.toml")


def test_profile_overrides_base_and_seeds_resolve():
    c = cfg()
    smoke = c.resolve("smoke")["exp"]
    assert smoke.params == {"lr": 0.1, "epochs": 1, "act": "tanh", "flag": False}
    assert smoke.seeds == (0, 1)
    assert c.resolve("paper")["exp"].seeds == (3, 4)
    assert c.resolve("quick")["exp"].skip is False


def test_int_may_stand_for_float():
    assert cfg(smoke={"exp": {"lr": 1}}).resolve("smoke")["exp"].params["lr"] == 1


@pytest.mark.parametrize(
    "override, fragment",
    [
        ({"exp": {"epochs": "ten"}}, "profile 'smoke', key 'exp.epochs': expected int, got str"),
        ({"exp": {"lr_typo": 0.2}}, "key 'exp.lr_typo': unknown key"),
        ({"exp": {"flag": 1}}, "key 'exp.flag': expected bool"),
        ({"exp": {"epochs": 1.5}}, "expected int, got float"),
        ({"other": {"x": 1}}, "unknown experiment 'other'"),
        ({"exp": {"seeds": 0}}, "'seeds' must be at least 1"),
        ({"exp": {"seeds": [1, "a"]}}, "'seeds' must be a positive int or a non-empty list"),
    ],
)
def test_bad_overrides_name_file_profile_and_key(override, fragment):
    with pytest.raises(ConfigError) as err:
        cfg(smoke=override)
    assert "cfg.toml" in str(err.value)
    assert fragment in str(err.value)


def test_unknown_profile_on_resolve():
    with pytest.raises(ConfigError, match="unknown profile 'fast'"):
        cfg().resolve("fast")


def test_missing_profile_table():
    with pytest.raises(ConfigError, match="missing profile"):
        parse_config({"base": BASE["base"], "profiles": {"smoke": {}}}, "cfg.toml")


def test_malformed_toml_names_file(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text("[base.exp\nlr = 1\n")
    with pytest.raises(ConfigError, match=f"{bad}: malformed TOML"):
        load_config(bad)


def test_deterministic_is_a_reserved_bool_kept_out_of_params():
    base = {"base": {"exp": {"seeds": 1, "deterministic": True, "lr": 0.1}},
            "profiles": {"smoke": {}, "quick": {}, "paper": {}}}
    exp = parse_config(base, "cfg.toml").resolve("quick")["exp"]
    assert exp.deterministic and exp.params == {"lr": 0.1}
    bad = {**base, "base": {"exp": {"deterministic": "yes"}}}
    with pytest.raises(ConfigError, match="base.exp.deterministic has the wrong type"):
        parse_config(bad, "cfg.toml")
