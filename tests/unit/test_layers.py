"""The layers of the package point down: the engine does no I/O, and results, reports and plots do not import it."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "simnet"

IO_MODULES = {"os", "pathlib", "io", "shutil", "tempfile", "json", "pickle", "sqlite3", "socket", "subprocess"}
"""Modules through which code reaches files, the environment or the network."""


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Every module each file under ``folder`` imports (absolute names; relative imports are not used)."""
    imports: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        imports[str(path.relative_to(PACKAGE.parent))] = names
    return imports


def test_engine_touches_no_files_or_environment():
    """Nothing under simnet/engine imports the route cache, the planning caches or an I/O module."""
    offending = {
        file: sorted(
            name
            for name in names
            if name.split(".")[0] in IO_MODULES or name in {"simnet.planning.route_cache", "simnet.planning.plan_cache"}
        )
        for file, names in imported_modules(PACKAGE / "engine").items()
    }
    assert {file: names for file, names in offending.items() if names} == {}


@pytest.mark.parametrize("layer", ["plots", "report", "results"])
def test_outputs_do_not_import_the_engine(layer):
    """Results, report and plots read metric names from simnet.metric_names, never from simnet.engine."""
    offending = {
        file: sorted(name for name in names if name == "simnet.engine" or name.startswith("simnet.engine."))
        for file, names in imported_modules(PACKAGE / layer).items()
    }
    assert {file: names for file, names in offending.items() if names} == {}


def test_planning_does_not_import_the_engine():
    """The static plan sits below the engine: planning imports nothing from simnet.engine."""
    offending = {
        file: sorted(name for name in names if name.startswith("simnet.engine"))
        for file, names in imported_modules(PACKAGE / "planning").items()
    }
    assert {file: names for file, names in offending.items() if names} == {}
