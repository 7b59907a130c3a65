# Type hints of the nadra package (python/nadra/__init__.py has the docstrings).
import os
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

__version__: str

Progress = Union[bool, Callable[[int, int], Any], None]
PathLike = Union[str, os.PathLike]

class InputError(dict):
    file: str
    line: int
    column: int
    key: str
    message: str
    suggestion: Optional[str]
    text: str

class ScenarioError(ValueError):
    errors: list[InputError]
    def __init__(self, errors: Iterable[Mapping[str, Any]], where: str = ...) -> None: ...

class Scenario:
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def label(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def overrides(self) -> dict[str, str]: ...
    @property
    def deals(self) -> list[str]: ...
    @property
    def projects(self) -> list[str]: ...
    @property
    def uncertain_inputs(self) -> list[str]: ...
    @property
    def start_year(self) -> int: ...
    @property
    def horizon(self) -> int: ...
    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario: ...

class Result:
    summary: dict[str, Any]
    @property
    def deals(self) -> list[str]: ...
    @property
    def n_paths(self) -> int: ...
    @property
    def metrics(self) -> list[str]: ...
    def file(self, name: str) -> bytes: ...
    def write(self, directory: PathLike) -> None: ...
    def table(self) -> pd.DataFrame: ...
    def gains(self, baseline: str = "no_deal") -> pd.DataFrame: ...
    def paths(self, metric: str) -> npt.NDArray[np.float64]: ...
    def by_year(self) -> pd.DataFrame: ...
    def fund_bands(self) -> pd.DataFrame: ...
    def cap_curve(self) -> pd.DataFrame: ...
    def by_asset(self) -> pd.DataFrame: ...
    def report(self, path: PathLike, analyses: Sequence[AnalysisResult] = ...) -> str: ...

class AnalysisResult:
    kind: str
    files: dict[str, bytes]
    data: dict[str, Any]
    def table(self) -> pd.DataFrame: ...
    def write(self, directory: PathLike) -> None: ...
    def report(self, path: PathLike) -> str: ...

def load(path: Optional[PathLike] = None) -> Scenario: ...
def run(
    scenario: Scenario,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    deals: Optional[Sequence[str]] = None,
    progress: Progress = True,
) -> Result: ...
def sweep(
    scenario: Scenario,
    deal: Union[str, Sequence[str]],
    vary: Optional[Mapping[str, Any]] = None,
    baseline: str = "no_deal",
    value: str = "money",
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Progress = True,
) -> AnalysisResult: ...
def breakeven(
    scenario: Scenario,
    deal: str,
    param: str,
    range: Optional[tuple[float, float]] = None,
    baseline: str = "no_deal",
    party: str = "both",
    value: str = "money",
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Progress = True,
) -> AnalysisResult: ...
def tornado(
    scenario: Scenario,
    deal: str,
    baseline: str = "no_deal",
    output: str = "host_gain",
    year: Optional[int] = None,
    inputs: Sequence[str] = ...,
    each: bool = False,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Progress = True,
) -> AnalysisResult: ...
def sobol(
    scenario: Scenario,
    deal: str,
    baseline: str = "no_deal",
    output: str = "host_gain",
    year: Optional[int] = None,
    inputs: Sequence[str] = ...,
    each: bool = False,
    samples: int = 64,
    bootstrap: int = 500,
    top: int = 8,
    paths: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    progress: Progress = True,
) -> AnalysisResult: ...
def metric_names() -> list[str]: ...
