"""The scenario language: models, YAML loading with located errors, ``extends`` and overrides."""

from simnet.scenario.errors import Location, Problem, ScenarioError
from simnet.scenario.loader import LoadedScenario, load, load_scenario, resolved_yaml, scenario_from_text
from simnet.scenario.models import Scenario

__all__ = [
    "LoadedScenario",
    "Location",
    "Problem",
    "Scenario",
    "ScenarioError",
    "load",
    "load_scenario",
    "resolved_yaml",
    "scenario_from_text",
]
