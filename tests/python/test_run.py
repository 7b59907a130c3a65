"""nadra.run against `nadra run`, and the DataFrames and arrays of a Result."""

import json
import math
import threading
import time
import _thread

import numpy as np
import pandas as pd
import pytest

import nadra
from conftest import DEALS, PATHS, SEED


def test_summary_equals_the_cli_bit_for_bit(result, cli_run):
    cli_bytes = (cli_run / "summary.json").read_bytes()
    assert result.file("summary.json") == cli_bytes
    # and parsed, number by number
    assert result.summary == json.loads(cli_bytes)


def test_every_file_equals_the_cli(result, cli_run):
    for name in ["fund_bands.csv", "cap_curve.csv", "terms.json", "by_year.csv", "by_asset.csv"]:
        assert result.file(name) == (cli_run / name).read_bytes(), name


def test_write_gives_the_cli_files(result, cli_run, tmp_path):
    result.write(tmp_path)
    for f in tmp_path.iterdir():
        assert f.read_bytes() == (cli_run / f.name).read_bytes(), f.name


def test_summary_identifies_the_run(result):
    s = result.summary
    assert s["seed"] == SEED and s["paths"] == PATHS
    assert s["scenario"].startswith("builtin:")
    assert [d["name"] for d in s["deals"]] == DEALS


def test_paths_are_zero_copy_and_match_the_summary(result):
    a = result.paths("host_value")
    assert a.shape == (PATHS, len(DEALS)) and a.dtype == np.float64
    assert not a.flags.owndata and not a.flags.writeable
    base = a
    while isinstance(base, np.ndarray):
        base = base.base
    assert base is result._r
    # Two calls view the same memory.
    assert np.shares_memory(a, result.paths("host_value"))
    for d, deal in enumerate(result.summary["deals"]):
        for metric in ["host_value", "partner_value", "host_contributions"]:
            values = result.paths(metric)[:, d]
            assert math.isclose(values.mean(), deal["metrics"][metric]["mean"], rel_tol=1e-12,
                                abs_tol=1e-6)
            assert np.percentile(values, 50) == pytest.approx(deal["metrics"][metric]["p50"], rel=1e-12)


def test_paths_outlive_the_result_object(scenario):
    r = nadra.run(scenario, paths=300, seed=1, deals=["v5"], progress=False)
    a = r.paths("partner_value")
    expected = a.copy()
    del r
    import gc
    gc.collect()
    assert np.array_equal(a, expected)


def test_table(result):
    t = result.table()
    assert list(t.index) == DEALS
    for deal in result.summary["deals"]:
        assert t.loc[deal["name"], ("host_value", "mean")] == deal["metrics"]["host_value"]["mean"]
        assert t.loc[deal["name"], ("host_value", "p95")] == deal["metrics"]["host_value"]["p95"]


def test_gains_are_deal_minus_baseline(result):
    g = result.gains()
    assert list(g.index) == ["v5"]
    a = result.paths("host_value")
    paired = a[:, 1] - a[:, 0]
    assert g.loc["v5", ("host_value", "mean")] == pytest.approx(paired.mean(), rel=1e-9, abs=1e-3)
    se = paired.std(ddof=1) / math.sqrt(len(paired))
    assert g.loc["v5", ("host_value", "se")] == pytest.approx(se, rel=1e-6)
    assert g.loc["v5", ("host_value", "p5")] == pytest.approx(np.percentile(paired, 5), rel=1e-9)
    assert g.loc["v5", ("host_value", "p95")] == pytest.approx(np.percentile(paired, 95), rel=1e-9)
    # The other way round: the baseline against v5.
    back = result.gains(baseline="v5")
    assert back.loc["no_deal", ("host_value", "mean")] == -g.loc["v5", ("host_value", "mean")]
    with pytest.raises(ValueError, match="was not run"):
        result.gains(baseline="v1")


def test_by_year_fund_bands_cap_curve(result, cli_run):
    by_year = result.by_year()
    csv = pd.read_csv(cli_run / "by_year.csv")
    assert list(by_year.columns) == list(csv.columns)
    assert len(by_year) == len(csv)
    merged = by_year.merge(csv, on=["deal", "year", "series"], suffixes=("", "_csv"))
    assert len(merged) == len(csv)
    both = merged[["mean", "mean_csv"]].dropna()
    assert np.allclose(both["mean"], both["mean_csv"], rtol=1e-12)
    fb = result.fund_bands()
    assert set(fb.columns) >= {"deal", "year", "mean", "p5", "p95"}
    cc = result.cap_curve()
    assert list(cc.columns) == ["deal", "year", "cap_reached_probability"]


def test_report(result, tmp_path):
    path = result.report(tmp_path / "v5.html")
    html = (tmp_path / "v5.html").read_text()
    assert html.lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert "builtin:" in html and "v5" in html
    assert str(path).endswith("v5.html")


def test_same_numbers_whatever_the_threads(scenario, result):
    one = nadra.run(scenario, paths=PATHS, seed=SEED, threads=1, deals=DEALS, progress=False)
    assert one.file("summary.json") == result.file("summary.json")


def test_overrides_match_the_cli_set(scenario, tmp_path):
    import subprocess
    from conftest import binary
    s2 = scenario.with_overrides({"deals.v5.share": 0.4})
    assert s2.overrides == {"deals.v5.share": "0.4"}
    r = nadra.run(s2, paths=500, seed=2, deals=["no_deal", "v5"], progress=False)
    subprocess.run([binary(), "run", "--paths", "500", "--seed", "2", "--deals", "no_deal,v5",
                    "--set", "deals.v5.share=0.4", "--out", str(tmp_path)], check=True,
                   stdout=subprocess.DEVNULL)
    assert r.file("summary.json") == (tmp_path / "summary.json").read_bytes()
    base = nadra.run(scenario, paths=500, seed=2, deals=["no_deal", "v5"], progress=False)
    assert r.summary != base.summary


def test_bad_arguments_raise_value_error(scenario, result):
    with pytest.raises(ValueError, match="no deal named 'v9'"):
        nadra.run(scenario, paths=10, deals=["v9"], progress=False)
    with pytest.raises(ValueError, match="paths"):
        nadra.run(scenario, paths=0, progress=False)
    with pytest.raises(ValueError, match="threads"):
        nadra.run(scenario, paths=10, threads=-1, progress=False)
    with pytest.raises(ValueError, match="Scenario"):
        nadra.run("scenario.toml", paths=10)
    with pytest.raises(ValueError, match="no metric named"):
        result.paths("nothing")


def test_progress_callback(scenario):
    seen = []
    nadra.run(scenario, paths=2000, seed=1, deals=["v5"], progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (2000, 2000)


def test_the_gil_is_released(scenario):
    """A second Python thread keeps running while the engine runs."""
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    started = time.monotonic()
    t = threading.Thread(target=tick)
    t.start()
    try:
        nadra.run(scenario, paths=4000, seed=1, threads=1, progress=False)
    finally:
        stop.set()
        t.join()
    ended = time.monotonic()
    during = [x for x in ticks if started + 0.05 < x < ended - 0.05]
    assert ended - started > 0.2, "the run was too short to tell"
    assert len(during) > 20
    # No gap of the whole run: the ticker ran throughout.
    gaps = np.diff(ticks)
    assert gaps.max() < (ended - started) / 2


def test_ctrl_c_cancels_and_keeps_nothing(scenario):
    import gc
    import tracemalloc
    timer = threading.Timer(0.3, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    r = None
    with pytest.raises(KeyboardInterrupt):
        r = nadra.run(scenario, paths=1_000_000, seed=1, threads=1, progress=False)
    assert r is None
    assert time.monotonic() - started < 30, "the run did not stop soon after Ctrl-C"
    timer.join()
    # After cancelling, the module still works.
    again = nadra.run(scenario, paths=100, seed=1, deals=["v5"], progress=False)
    assert again.n_paths == 100
