"""simnet: a fast discrete-event simulator of a city's three-tier express delivery network.

The public names below (and the ``simnet.plots`` package) are what notebooks and scripts use; they
are imported on first use, so ``import simnet`` (and ``simnet --help``) stays quick.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simnet.api import run
    from simnet.results.compare import compare_folders
    from simnet.results.excel import write_workbook
    from simnet.results.load import Results, SweepResults, load_results
    from simnet.results.output_location import OutputLocationError
    from simnet.scenario import Scenario, ScenarioError, load_scenario

try:
    __version__ = version("simnet")
except PackageNotFoundError:
    __version__ = "0.0.0+unknown"

_PUBLIC = {
    "run": "simnet.api",
    "compare_folders": "simnet.results.compare",
    "write_workbook": "simnet.results.excel",
    "OutputLocationError": "simnet.results.output_location",
    "Results": "simnet.results.load",
    "SweepResults": "simnet.results.load",
    "load_results": "simnet.results.load",
    "Scenario": "simnet.scenario",
    "ScenarioError": "simnet.scenario",
    "load_scenario": "simnet.scenario",
}
"""Each public name and the module it lives in."""

__all__ = [
    "OutputLocationError",
    "Results",
    "Scenario",
    "ScenarioError",
    "SweepResults",
    "__version__",
    "compare_folders",
    "load_results",
    "load_scenario",
    "run",
    "write_workbook",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simnet' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
