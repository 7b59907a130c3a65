"""Errors: the scenario's, with their places, and bad arguments."""

import pytest

import nadra


def test_bad_override_has_its_place(scenario):
    with pytest.raises(nadra.ScenarioError) as info:
        scenario.with_overrides({"deals.v5.shaer": 0.4})
    errors = info.value.errors
    assert errors
    e = errors[0]
    assert e["file"] == "--set" and e.file == "--set"
    assert e["line"] == 1
    assert "shaer" in e["key"] or "shaer" in e["message"]
    assert e["suggestion"] and "share" in e["suggestion"]
    assert set(e) >= {"file", "line", "column", "key", "message", "suggestion"}
    assert isinstance(info.value, ValueError)


def test_out_of_range_override(scenario):
    with pytest.raises(nadra.ScenarioError) as info:
        scenario.with_overrides({"deals.v5.share": 1.5})
    assert any(e["key"] == "deals.v5.share" for e in info.value.errors)


def test_errors_in_a_file_carry_file_line_and_column(tmp_path):
    bad = tmp_path / "scenario.toml"
    bad.write_text('name = "x"\nstart_year = 2025\nhorizon = "ten"\n')
    with pytest.raises(nadra.ScenarioError) as info:
        nadra.load(bad)
    errors = info.value.errors
    assert errors
    placed = [e for e in errors if e["line"] > 0]
    assert placed, errors
    assert all(e["file"].endswith("scenario.toml") for e in placed)
    assert all(e["column"] >= 1 for e in placed)
    assert str(bad) in str(info.value) or "scenario.toml" in str(info.value)


def test_missing_file():
    with pytest.raises(nadra.ScenarioError) as info:
        nadra.load("/nonexistent/scenario.toml")
    assert info.value.errors[0]["file"].endswith("scenario.toml")


def test_bad_override_values(scenario):
    with pytest.raises(ValueError, match="dict"):
        scenario.with_overrides(["deals.v5.share", 0.4])
    with pytest.raises(ValueError, match="finite"):
        scenario.with_overrides({"deals.v5.share": float("nan")})


def test_override_lists(scenario):
    s = scenario.with_overrides({"world.conflict.renew_hazard": [0.05, 0.1]})
    assert s.overrides["world.conflict.renew_hazard"] == "[0.05, 0.1]"
