"""examples/signed-deal.ipynb runs headless (nbclient) and shows what it says it shows."""

import os
import re

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def text_of(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out["text"])
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def test_signed_deal_notebook():
    nb = nbformat.read(ROOT / "examples" / "signed-deal.ipynb", as_version=4)
    # Fewer paths than the notebook's default, for the test's time.
    nb.cells[1].source = nb.cells[1].source.replace("PATHS = 20_000", "PATHS = 2_000")
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert not any(o.get("output_type") == "error" for o in c.get("outputs", [])), text_of(c)
    assert "nadra.Scenario" in text_of(code[0])
    assert "2000 paths x 2 deals" in text_of(code[1])
    gains = text_of(code[2])
    assert "v5" in gains and "host_value" in gains and "se" in gains
    assert "host_revenue" in text_of(code[3])
    sweep = text_of(code[4])
    assert "share=0.1" in sweep or "0.1" in sweep
    last = text_of(code[-1])
    assert re.search(r"v5 against no deal on 2000 paths: host gain [+-]\d+\.\d+ bn", last), last
    assert "sweep variants: 3" in last
