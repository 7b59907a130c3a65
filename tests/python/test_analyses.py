"""sweep, breakeven, tornado, sobol through Python equal the command's files."""

import json
import subprocess

import pytest

import nadra
from conftest import binary


def test_sweep_equals_the_cli(scenario, tmp_path):
    r = nadra.sweep(scenario, deal="v5", vary={"share": [0.1, 0.3, 0.5]}, paths=300, seed=2,
                    progress=False)
    t = r.table()
    assert len(t) == 3
    subprocess.run([binary(), "sweep", "--deal", "v5", "--vary", "share=0.1,0.3,0.5", "--paths",
                    "300", "--seed", "2", "--out", str(tmp_path)], check=True,
                   stdout=subprocess.DEVNULL)
    assert r.files["sweep.csv"] == (tmp_path / "sweep.csv").read_bytes()
    cli = json.loads((tmp_path / "sweep.json").read_text())
    ours = dict(r.data)
    assert ours["command"].startswith("nadra.sweep(s, deal='v5', vary={'share': [0.1, 0.3, 0.5]}")
    # The command line recorded differs; the numbers do not.
    cli.pop("command", None)
    ours.pop("command", None)
    assert ours == cli


def test_sweep_errors(scenario):
    with pytest.raises(ValueError, match="no deal named"):
        nadra.sweep(scenario, deal="v9", vary={"share": [0.1]}, paths=10, progress=False)
    with pytest.raises(ValueError, match="vary"):
        nadra.sweep(scenario, deal="v5", vary={"share": []}, paths=10, progress=False)
    with pytest.raises(ValueError):
        nadra.sweep(scenario, deal="v5", vary={"shaer": [0.1]}, paths=10, progress=False)


def test_breakeven_and_tornado(scenario):
    b = nadra.breakeven(scenario, deal="v5", param="share", paths=200, progress=False)
    assert not b.table().empty
    t = nadra.tornado(scenario, deal="v5", paths=100, inputs=["world.conflict.*"], progress=False)
    assert not t.table().empty
    assert t.data["deal"] == "v5" or "v5" in json.dumps(t.data)
