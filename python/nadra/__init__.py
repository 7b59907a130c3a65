"""nadra in Python: the Monte Carlo engine for resource-for-support deals, on NumPy and pandas.

    import nadra
    s = nadra.load()                                  # the built-in scenario
    s2 = s.with_overrides({"deals.v5.share": 0.4})    # the same keys and checks as --set
    r = nadra.run(s2, paths=100_000, seed=1, deals=["no_deal", "v5"])
    r.summary                                         # the same dict as summary.json
    r.table(), r.gains(), r.by_year(), r.fund_bands(), r.cap_curve()   # DataFrames
    r.paths("host_value")                             # NumPy array, paths x deals, no copy
    r.report("v5.html")
    nadra.sweep(s, deal="v5", vary={"share": [0.1, 0.3, 0.5]}).table()

Every call runs the engine compiled into nadra._nadra (the same code as the `nadra` command):
the same scenario, seed and paths give the same numbers as `nadra run`, bit for bit. Runs release
the GIL; Ctrl-C cancels them (KeyboardInterrupt, nothing kept).
"""

from __future__ import annotations

import io
import json
import math
import os
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

try:
    from . import _nadra  # installed: the module sits in the package
except ImportError:  # pragma: no cover - a build tree: build/python/ is on the path
    import _nadra  # type: ignore[no-redef]

import numpy as np
import pandas as pd

__version__ = _nadra.__version__

__all__ = [
    "Scenario",
    "ScenarioError",
    "Result",
    "AnalysisResult",
    "load",
    "run",
    "sweep",
    "breakeven",
    "tornado",
    "sobol",
    "metric_names",
]

_STATS = ["mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95", "count"]
_PERCENTILES = ["p5", "p25", "p50", "p75", "p95"]


class InputError(dict):
    """One problem in a scenario: a dict with file, line, column, key, message, suggestion (None
    when the loader has none) and text (as `nadra validate` prints it); also as attributes."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __str__(self) -> str:
        return self["text"]


class ScenarioError(ValueError):
    """The scenario (or an override) is not valid. `.errors` lists every problem found, each an
    InputError with file, line, column, key, message and suggestion."""

    def __init__(self, errors: Iterable[Mapping[str, Any]], where: str = "the scenario"):
        self.errors = [InputError(e) for e in errors]
        lines = "\n".join(str(e) for e in self.errors)
        n = len(self.errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in {where}:\n{lines}")


def _toml_value(value: Any) -> str:
    """A Python value as the TOML text `--set KEY=VALUE` takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"overrides: {v} is not a finite number")
        return repr(v)
    if isinstance(value, str):
        return value
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"overrides: cannot write {value!r} ({type(value).__name__}) as a scenario value")


class Scenario:
    """A validated scenario: the built-in one or a file, with overrides. Make one with
    nadra.load(); change it with with_overrides()."""

    def __init__(self, native: Any):
        self._s = native

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._s.name

    @property
    def path(self) -> Optional[str]:
        """The root file, or None for the built-in scenario."""
        return self._s.path or None

    @property
    def label(self) -> str:
        """What summary.json calls the scenario: the path or builtin:NAME, then the overrides."""
        return self._s.label

    @property
    def sha256(self) -> str:
        return self._s.sha256

    @property
    def overrides(self) -> dict:
        """The overrides applied, key -> TOML text, in order."""
        return dict(self._s.overrides)

    @property
    def deals(self) -> list:
        """The deals' names, in scenario order."""
        return list(self._s.deals)

    @property
    def projects(self) -> list:
        return list(self._s.projects)

    @property
    def uncertain_inputs(self) -> list:
        """The key paths of the inputs given ranges (the factors of tornado and sobol)."""
        return list(self._s.uncertain_inputs)

    @property
    def start_year(self) -> int:
        return self._s.start_year

    @property
    def horizon(self) -> int:
        return self._s.horizon

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Scenario":
        """The scenario read again with `overrides` (key path -> value) on top of its own: the
        same keys and checks as `nadra run --set KEY=VALUE`. Values are numbers, strings, lists,
        dicts or None ("none"). Raises ScenarioError with every problem."""
        if not isinstance(overrides, Mapping):
            raise ValueError("overrides: expected a dict of key path -> value, e.g. "
                             "{'deals.v5.share': 0.4}")
        pairs = list(self._s.overrides)
        for key, value in overrides.items():
            if not isinstance(key, str) or not key.strip():
                raise ValueError(f"overrides: a key must be a key path such as 'deals.v5.share'; got {key!r}")
            pairs.append((key.strip(), _toml_value(value)))
        return _load(self.path, pairs)

    def __repr__(self) -> str:
        return f"<nadra.Scenario {self.label!r}: {len(self.deals)} deals>"


def _load(path: Optional[str], pairs: list) -> Scenario:
    native = _nadra.load(path or "", pairs)
    if isinstance(native, list):
        where = path or "the built-in scenario"
        raise ScenarioError(native, where + (" with overrides" if pairs else ""))
    return Scenario(native)


def load(path: Union[str, os.PathLike, None] = None) -> Scenario:
    """Loads a scenario: the built-in one (None) or the scenario.toml at `path`, with its
    includes, validated. Raises ScenarioError listing every problem (file, line, column, key,
    message, suggestion)."""
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path: expected a file name or None; got {path!r}")
    return _load(os.fspath(path) if path is not None else None, [])


def _check_scenario(s: Any) -> Any:
    if not isinstance(s, Scenario):
        raise ValueError(f"expected a nadra.Scenario (from nadra.load()); got {type(s).__name__}")
    return s._s


def _check_count(name: str, value: Any) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)):
        raise ValueError(f"{name}: expected a whole number; got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{name}: expected a whole number; got {value!r}")
        value = int(value)
    if int(value) < (0 if name == "seed" else 1):
        raise ValueError(f"{name}: must be at least {0 if name == 'seed' else 1}; got {value}")
    return int(value)


def _check_threads(threads: Any) -> int:
    if threads is None:
        return 0
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 0:
        raise ValueError(f"threads: expected a whole number >= 0 (0: all cores); got {threads!r}")
    return int(threads)


def _progress(progress: Any, desc: str) -> tuple:
    """The callback the engine's progress goes to, and what to close after."""
    if progress is None or progress is False:
        return None, None
    if callable(progress):
        return progress, None
    if progress is True or progress == "auto":
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return None, None
        bar = tqdm(total=0, desc=desc, unit="path", leave=False)

        def update(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        return update, bar
    raise ValueError("progress: True, False, or a callable(done, total)")


def _with_progress(progress: Any, desc: str, call: Callable[[Any], Any]) -> Any:
    callback, bar = _progress(progress, desc)
    try:
        return call(callback)
    finally:
        if bar is not None:
            bar.close()


def _frame(data: Optional[bytes]) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data or b""))


class Result:
    """A run: `.summary` (the dict of summary.json), DataFrames of it, and every path's metrics."""

    def __init__(self, native: Any):
        self._r = native
        self.summary: dict = json.loads(native.file("summary.json"))
        """The same dict as summary.json, made by the same code."""

    @property
    def deals(self) -> list:
        """The deals run, in order (the columns of paths())."""
        return list(self._r.deals)

    @property
    def n_paths(self) -> int:
        return self._r.n_paths

    @property
    def metrics(self) -> list:
        """The metric names, in summary.json's order."""
        return list(_nadra.metric_names())

    def file(self, name: str) -> bytes:
        """One of the files `nadra run` writes, as its bytes: summary.json, fund_bands.csv,
        cap_curve.csv, terms.json, by_year.csv, by_asset.csv."""
        try:
            return self._r.file(name)
        except IndexError:
            raise ValueError(f"file: no file named {name!r}; there are {sorted(self._r.files())}") from None

    def write(self, directory: Union[str, os.PathLike]) -> None:
        """Writes the files `nadra run --out DIRECTORY` writes."""
        os.makedirs(directory, exist_ok=True)
        for name, content in self._r.files().items():
            with open(os.path.join(directory, name), "wb") as f:
                f.write(content)

    def table(self) -> pd.DataFrame:
        """A row per deal (index: deal); columns (metric, stat) with stat mean, sd, sem, p5,
        p25, p50, p75, p95, count. Statistics of no values (cap_year where no path reaches the
        cap) are NaN."""
        rows = {}
        for deal in self.summary["deals"]:
            rows[deal["name"]] = {
                (metric, stat): (np.nan if stats[stat] is None else stats[stat])
                for metric, stats in deal["metrics"].items()
                for stat in _STATS
            }
        df = pd.DataFrame.from_dict(rows, orient="index")
        df.columns = pd.MultiIndex.from_tuples(df.columns, names=["metric", "stat"])
        df.index.name = "deal"
        return df

    def gains(self, baseline: str = "no_deal") -> pd.DataFrame:
        """Each other deal minus `baseline`, path by path (paired on the same futures): a row
        per deal (index: deal); columns (metric, stat), stat mean, se (standard error of the
        mean), p5, p50, p95 of the per-path difference. Positive: the deal gives more than the
        baseline. (summary.json's differences hold a - b in run order; here the sign is always
        deal - baseline.)"""
        names = [d["name"] for d in self.summary["deals"]]
        if baseline not in names:
            raise ValueError(f"baseline: {baseline!r} was not run; the run has {names}")
        rows = {}
        for diff in self.summary["differences"]:
            if baseline not in (diff["a"], diff["b"]):
                continue
            flip = diff["a"] == baseline
            deal = diff["b"] if flip else diff["a"]
            row = {}
            for metric, st in diff["metrics"].items():
                def v(key: str) -> float:
                    x = st[key]
                    return np.nan if x is None else float(x)
                sign = -1.0 if flip else 1.0
                row[(metric, "mean")] = sign * v("mean")
                row[(metric, "se")] = v("sem")
                row[(metric, "p5")] = sign * v("p95" if flip else "p5")
                row[(metric, "p50")] = sign * v("p50")
                row[(metric, "p95")] = sign * v("p5" if flip else "p95")
            rows[deal] = row
        order = [n for n in names if n in rows]
        df = pd.DataFrame.from_dict(rows, orient="index").reindex(order)
        df.columns = pd.MultiIndex.from_tuples(df.columns, names=["metric", "stat"])
        df.index.name = "deal"
        return df

    def paths(self, metric: str) -> np.ndarray:
        """Every path's value of `metric`, a read-only float64 array of paths x deals (columns in
        the order of .deals), viewing the result's memory without a copy (its .base is the
        result). cap_year is NaN on paths that never reach the cap."""
        return self._r.paths(metric)

    def by_year(self) -> pd.DataFrame:
        """Tidy, as by_year.csv: deal, year, series, mean, p5, p25, p50, p75, p95 (NaN where a
        series is not defined, e.g. the cap of a deal without one)."""
        frames = []
        for deal in self.summary["deals"]:
            by_year = deal.get("by_year")
            if not by_year:
                continue
            years = by_year["years"]
            for series, stats in by_year["series"].items():
                data = {"deal": deal["name"], "year": years, "series": series}
                for stat in ["mean"] + _PERCENTILES:
                    data[stat] = [np.nan if x is None else x for x in stats[stat]]
                frames.append(pd.DataFrame(data))
        if not frames:
            return pd.DataFrame(columns=["deal", "year", "series", "mean"] + _PERCENTILES)
        return pd.concat(frames, ignore_index=True)

    def fund_bands(self) -> pd.DataFrame:
        """fund_bands.csv: deal, year, mean, sd, sem, p5, p25, p50, p75, p95 of the fund balance."""
        return _frame(self._r.file("fund_bands.csv"))

    def cap_curve(self) -> pd.DataFrame:
        """cap_curve.csv: deal, year, cap_reached_probability (by the end of that year)."""
        return _frame(self._r.file("cap_curve.csv"))

    def by_asset(self) -> pd.DataFrame:
        """by_asset.csv: per deal and asset, the contributions that come from it."""
        return _frame(self._r.file("by_asset.csv"))

    def report(self, path: Union[str, os.PathLike], analyses: Sequence["AnalysisResult"] = ()) -> str:
        """Writes the HTML report of the run (as `nadra run --report`), with the sections of any
        analyses given (sweep, breakeven, tornado, sobol results); returns the path."""
        files = {}
        for a in analyses:
            files.update(a.files)
        self._r.report(os.fspath(path), files)
        return os.fspath(path)

    def __repr__(self) -> str:
        return f"<nadra.Result {self.n_paths} paths x {len(self.deals)} deals: {', '.join(self.deals)}>"


def run(
    scenario: Scenario,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    deals: Optional[Sequence[str]] = None,
    progress: Any = True,
) -> Result:
    """Runs `deals` (names; None: all, in scenario order) on `paths` paths (None: the scenario's,
    else 10,000) from `seed` (None: the scenario's, else 1) with `threads` threads (0: all
    cores), as `nadra run` does. The same arguments give the same results, whatever threads is.
    progress: True for a tqdm bar where tqdm is installed, False, or a callable(done, total).
    The GIL is released while it runs; Ctrl-C cancels (KeyboardInterrupt). Returns a Result."""
    native = _check_scenario(scenario)
    paths = _check_count("paths", paths)
    seed = _check_count("seed", seed)
    threads = _check_threads(threads)
    if deals is not None:
        if isinstance(deals, str):
            deals = [d.strip() for d in deals.split(",") if d.strip()]
        deals = list(deals)
        if not deals or not all(isinstance(d, str) for d in deals):
            raise ValueError("deals: a list of deal names, e.g. ['no_deal', 'v5'], or None for all")
    return Result(_with_progress(progress, "nadra.run",
                                 lambda cb: _nadra.run(native, paths, seed, threads, deals, cb)))


class AnalysisResult:
    """An analysis's result: `.data` (the dict of its JSON file, e.g. sweep.json), `.table()` (its
    CSV file as a DataFrame), `.files` (the files `nadra KIND --out` writes)."""

    def __init__(self, kind: str, files: Mapping[str, bytes]):
        self.kind = kind
        self.files = dict(files)
        self.data: dict = json.loads(self.files[kind + ".json"])

    def table(self) -> pd.DataFrame:
        """The analysis's CSV file (e.g. sweep.csv) as a DataFrame."""
        return _frame(self.files[self.kind + ".csv"])

    def write(self, directory: Union[str, os.PathLike]) -> None:
        os.makedirs(directory, exist_ok=True)
        for name, content in self.files.items():
            with open(os.path.join(directory, name), "wb") as f:
                f.write(content)

    def report(self, path: Union[str, os.PathLike]) -> str:
        """Writes the HTML report of this analysis alone; returns the path."""
        _nadra.report(os.fspath(path), self.files)
        return os.fspath(path)

    def __repr__(self) -> str:
        return f"<nadra.AnalysisResult {self.kind}>"


def _command(name: str, **arguments: Any) -> str:
    """The call as the analysis's files record it (the command line's --seed and --paths too)."""
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items() if v not in (None, (), [], {}))
    return f"nadra.{name}(s, {shown})"


def _axis(key: str, values: Any) -> str:
    if isinstance(values, str):
        return f"{key}={values}"  # "0.1:0.9:0.1" or "none,2e11", as --vary
    if isinstance(values, (range, np.ndarray)):
        values = list(values)
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError(f"vary: {key}: expected a list of values or 'FROM:TO:STEP'; got {values!r}")
    return f"{key}=" + ",".join(_toml_value(v) for v in values)


def sweep(
    scenario: Scenario,
    deal: Union[str, Sequence[str]],
    vary: Optional[Mapping[str, Any]] = None,
    baseline: str = "no_deal",
    value: str = "money",
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Any = True,
) -> AnalysisResult:
    """`nadra sweep`: every combination of the terms in `vary` (term relative to the deal ->
    list of values, or "FROM:TO:STEP") of `deal` (a name or a list), each against `baseline` on
    the same paths; the frontier and zone of agreement on `value` ("money" or "total").
    .table() is sweep.csv."""
    native = _check_scenario(scenario)
    deals = [deal] if isinstance(deal, str) else list(deal)
    vary = vary or {}
    if not isinstance(vary, Mapping):
        raise ValueError("vary: a dict of term -> values, e.g. {'share': [0.1, 0.3, 0.5]}")
    axes = [_axis(k, v) for k, v in vary.items()]
    paths, seed = _check_count("paths", paths), _check_count("seed", seed)
    command = _command("sweep", deal=deal, vary=dict(vary), baseline=baseline, value=value,
                       paths=paths, seed=seed)
    files = _with_progress(progress, "nadra.sweep", lambda cb: _nadra.sweep(
        native, deals, axes, baseline, value, paths, seed, _check_threads(threads), command, cb))
    return AnalysisResult("sweep", files)


def breakeven(
    scenario: Scenario,
    deal: str,
    param: str,
    range: Optional[tuple] = None,
    baseline: str = "no_deal",
    party: str = "both",
    value: str = "money",
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Any = True,
) -> AnalysisResult:
    """`nadra breakeven`: the value of the term `param` of `deal` in `range` ((low, high); None:
    [0, 1] for a fraction) at which `party` ("host", "partner", "both") gains nothing over
    `baseline`. .table() is breakeven.csv."""
    native = _check_scenario(scenario)
    if range is not None:
        range = (float(range[0]), float(range[1]))
    paths, seed = _check_count("paths", paths), _check_count("seed", seed)
    command = _command("breakeven", deal=deal, param=param, range=range, baseline=baseline,
                       party=party, value=value, paths=paths, seed=seed)
    files = _with_progress(progress, "nadra.breakeven", lambda cb: _nadra.breakeven(
        native, deal, param, range, baseline, party, value, paths, seed, _check_threads(threads),
        command, cb))
    return AnalysisResult("breakeven", files)


def tornado(
    scenario: Scenario,
    deal: str,
    baseline: str = "no_deal",
    output: str = "host_gain",
    year: Optional[int] = None,
    inputs: Sequence[str] = (),
    each: bool = False,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Any = True,
) -> AnalysisResult:
    """`nadra tornado`: each uncertain input (or pattern in `inputs`) at its low and high end,
    and how far it moves `output` of `deal` against `baseline` (default 2,000 paths).
    .table() is tornado.csv."""
    native = _check_scenario(scenario)
    paths, seed = _check_count("paths", paths), _check_count("seed", seed)
    command = _command("tornado", deal=deal, baseline=baseline, output=output, year=year,
                       inputs=list(inputs), each=each or None, paths=paths, seed=seed)
    files = _with_progress(progress, "nadra.tornado", lambda cb: _nadra.tornado(
        native, deal, baseline, output, year, list(inputs), bool(each), paths, seed,
        _check_threads(threads), command, cb))
    return AnalysisResult("tornado", files)


def sobol(
    scenario: Scenario,
    deal: str,
    baseline: str = "no_deal",
    output: str = "host_gain",
    year: Optional[int] = None,
    inputs: Sequence[str] = (),
    each: bool = False,
    samples: int = 64,
    bootstrap: int = 500,
    top: int = 8,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Any = True,
) -> AnalysisResult:
    """`nadra sobol`: first-order and total Sobol indices of `output` over the uncertain inputs
    (without `inputs`, the `top` widest by tornado), `samples` base samples of `paths` paths
    each (default 200). .table() is sobol.csv."""
    native = _check_scenario(scenario)
    paths, seed = _check_count("paths", paths), _check_count("seed", seed)
    command = _command("sobol", deal=deal, baseline=baseline, output=output, year=year,
                       inputs=list(inputs), each=each or None, samples=samples,
                       bootstrap=bootstrap, top=top, paths=paths, seed=seed)
    files = _with_progress(progress, "nadra.sobol", lambda cb: _nadra.sobol(
        native, deal, baseline, output, year, list(inputs), bool(each), int(samples),
        int(bootstrap), int(top), paths, seed, _check_threads(threads), command, cb))
    return AnalysisResult("sobol", files)


def metric_names() -> list:
    """The metrics of summary.json, in its order."""
    return list(_nadra.metric_names())
