"""simnet: a fast discrete-event simulator of a city's three-tier express delivery network."""

from importlib.metadata import PackageNotFoundError, version

from simnet.results.load import Results, SweepResults, load_results
from simnet.scenario import Scenario, ScenarioError, load_scenario

try:
    __version__ = version("simnet")
except PackageNotFoundError:
    __version__ = "0.0.0+unknown"

__all__ = ["Results", "Scenario", "ScenarioError", "SweepResults", "__version__", "load_results", "load_scenario"]
