"""Fixtures of the Python package's tests: one small run through Python and the same run through
the `nadra` command (NADRA_BINARY, set by ctest)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("NADRA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(ROOT / "python"))

import nadra  # noqa: E402

PATHS = 2000
SEED = 3
DEALS = ["no_deal", "v5"]


def binary() -> str:
    found = os.environ.get("NADRA_BINARY") or str(ROOT / "build" / "nadra")
    if not Path(found).exists():
        pytest.skip(f"no nadra binary at {found}")
    return found


@pytest.fixture(scope="session")
def scenario():
    return nadra.load()


@pytest.fixture(scope="session")
def result(scenario):
    return nadra.run(scenario, paths=PATHS, seed=SEED, threads=2, deals=DEALS, progress=False)


@pytest.fixture(scope="session")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    subprocess.run([binary(), "run", "--paths", str(PATHS), "--seed", str(SEED), "--threads", "1",
                    "--deals", ",".join(DEALS), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return out
