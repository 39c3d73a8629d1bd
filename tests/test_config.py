"""Configuration: defaults, merging, and strict one-line errors for bad keys and values."""
from __future__ import annotations

import pytest

from nianbao.config import ConfigError, agency_kind, defaults, load_config
from nianbao.errors import InputError


def test_defaults_documented_values():
    cfg = load_config(None)
    assert cfg == defaults()
    assert cfg["deadlines"] == {"department": "01-31", "government": "03-31"}
    assert cfg["agency_kind"] == "auto"


def test_merge_keeps_other_defaults(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("deadlines:\n  department: \"01-28\"\ndisabled: [T2-ALLZERO]\n", encoding="utf-8")
    cfg = load_config(p)
    assert cfg["deadlines"] == {"department": "01-28", "government": "03-31"}
    assert cfg["disabled"] == ["T2-ALLZERO"] and cfg["thresholds"]["label_similarity"] == 60


def test_dict_input_is_not_modified():
    src = {"thresholds": {"label_similarity": 50}}
    load_config(src)
    assert src == {"thresholds": {"label_similarity": 50}}


@pytest.mark.parametrize("cfg,needle", [
    ({"colour": 1}, "colour"),
    ({"deadlines": {"bureau": "01-31"}}, "deadlines.bureau"),
    ({"deadlines": {"department": "1-31"}}, "MM-DD"),
    ({"deadlines": {"department": 131}}, "MM-DD"),
    ({"agency_kind": "ministry"}, "agency_kind"),
    ({"severity": {"T3-R9": "error"}}, "T3-R9"),
    ({"severity": {"T3-R1": "fatal"}}, "fatal"),
    ({"disabled": ["NOPE"]}, "NOPE"),
    ({"disabled": "T3-R1"}, "list"),
    ({"thresholds": {"label_similarity": 120}}, "label_similarity"),
    ({"thresholds": {"fee_decimals": "4"}}, "fee_decimals"),
])
def test_bad_values_one_line_error(cfg, needle):
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    msg = str(e.value)
    assert needle in msg and "\n" not in msg
    assert isinstance(e.value, InputError)  # the CLI exits 2 on it


def test_bad_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")
    p = tmp_path / "bad.yaml"
    p.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(p)
    p.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(p)


@pytest.mark.parametrize("name,kind", [
    ("青禾县人民政府", "government"), ("青禾经济开发区管委会", "government"),
    ("青禾综合实验区", "government"), ("青禾市人民政府办公厅", "department"),
    ("青禾县农业农村局", "department"), ("青禾县人民政府办公室", "department"), (None, None)])
def test_agency_kind_heuristic(name, kind):
    assert agency_kind(name, load_config(None))[0] == kind


def test_agency_kind_configured_wins():
    cfg = load_config({"agency_kind": "government"})
    assert agency_kind("青禾县农业农村局", cfg) == ("government", "配置指定")
