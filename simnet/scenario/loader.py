"""Load a scenario: read its files and ``extends`` chain, apply overrides, validate once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

import yaml

from simnet.scenario.csv_sources import read_csv_sources
from simnet.scenario.errors import Path, Problem, ScenarioError
from simnet.scenario.layers import Document, Override, apply_overrides, document_from_text, read_scenario_file
from simnet.scenario.models import Scenario
from simnet.scenario.source_map import SourceMap
from simnet.scenario.validation import validate_document
from simnet.scenario.village_demand import check_village_demand
from simnet.scenario.yaml_source import resolves_to_text


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario with the places its values were written, to locate later problems."""

    scenario: Scenario
    source_map: SourceMap
    files: tuple[FilePath, ...]

    def error(self, path: Path, message: str, hint: str = "") -> ScenarioError:
        """A ``ScenarioError`` at ``path`` of this scenario, for problems found after validation."""
        return ScenarioError([Problem(self.source_map.locate(path), path, message, hint)])


def load(path: str | FilePath, overrides: Sequence[str | Override] = ()) -> LoadedScenario:
    """Load a scenario file (with its ``extends`` chain and ``--set`` overrides) and validate it."""
    document = read_scenario_file(FilePath(path))
    return _finish(document, overrides)


def load_scenario(path: str | FilePath, overrides: Sequence[str | Override] = ()) -> Scenario:
    """The validated scenario of a file; raises ``ScenarioError`` with located problems."""
    return load(path, overrides).scenario


def scenario_from_text(text: str, source: str = "<text>", overrides: Sequence[str] = ()) -> Scenario:
    """The validated scenario of YAML text (no ``extends``), for tests and notebooks."""
    return _finish(document_from_text(text, source), overrides).scenario


def _finish(document: Document, overrides: Sequence[str | Override]) -> LoadedScenario:
    document = read_csv_sources(apply_overrides(document, overrides))
    scenario = validate_document(document)
    check_village_demand(scenario, document.source_map)
    return LoadedScenario(scenario=scenario, source_map=document.source_map, files=document.files)


def resolved_yaml(scenario: Scenario) -> str:
    """The fully resolved scenario, defaults included, as YAML that loads back to the same scenario."""
    data = scenario.model_dump(mode="json", by_alias=True)
    return yaml.dump(data, Dumper=_ScenarioDumper, allow_unicode=True, sort_keys=False, width=100)


class _ScenarioDumper(yaml.SafeDumper):
    """Quotes every string that the scenario loader would otherwise read as a number, bool or null."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None if resolves_to_text(text) else "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_ScenarioDumper.add_representer(str, _represent_text)
