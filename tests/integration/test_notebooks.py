"""The analyst notebooks in notebooks/: committed without outputs, using only simnet's public names, and each runs
top to bottom without an error; a run's progress inside Jupyter is one notebook output and no warning.

They run as Jupyter would run them: nbclient starts the ``python3`` kernel that ipykernel installs into
this environment (jupyter_client starts it with this interpreter), with the notebook's folder as the
working directory, and the route cache in the test session's temporary folder (``SIMNET_CACHE_DIR``,
set in ``tests/conftest.py``, is inherited by the kernel).
"""

import ast
import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

import simnet
import simnet.plots
from tests.small_city import SMALL_CITY as SMALL

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FOUND = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT_S = 300

PUBLIC_MODULES = {"simnet": set(simnet.__all__), "simnet.plots": set(simnet.plots.__all__), "simnet.cli": {"main"}}
"""What notebooks may use: each public module and its public names (``simnet.cli.main`` is the command line)."""


def test_there_are_notebooks():
    """The notebooks folder holds the analyst notebooks (an empty glob must not pass silently)."""
    assert FOUND, f"no notebooks in {NOTEBOOKS}"


@pytest.mark.parametrize("path", FOUND, ids=[path.stem for path in FOUND])
def test_notebook_is_committed_without_outputs(path):
    """Every code cell of a committed notebook has no outputs and no execution count (STYLE.md practice 16)."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


def simnet_uses(source: str) -> list[str]:
    """Every ``simnet`` module a piece of code imports and every ``simnet.X`` / ``simnet.X.Y`` name it reads."""
    uses: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            uses += [alias.name for alias in node.names if alias.name.split(".")[0] == "simnet"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "simnet":
            uses += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute):
            chain = [node.attr]
            inner = node.value
            while isinstance(inner, ast.Attribute):
                chain.insert(0, inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and inner.id == "simnet":
                uses.append(".".join(["simnet", *chain[:2]]))
    return uses


def is_public(use: str) -> bool:
    """Whether ``use`` is a public module, or a public name of one (``simnet.run``, ``simnet.plots.hub_flow``)."""
    if use in PUBLIC_MODULES:
        return True
    module, _, name = use.rpartition(".")
    return name in PUBLIC_MODULES.get(module, set())


def test_the_public_check_tells_public_from_internal():
    """The check below passes public names and catches internal modules, however they are reached."""
    assert all(is_public(use) for use in simnet_uses("import simnet.plots\nsimnet.run(s)\nsimnet.plots.hub_flow(r)"))
    internal = (
        "from simnet.experiment.replications import run_scenario",
        "import simnet.results.folder",
        "simnet.results.load.load_results(p)",
        "from simnet import _PUBLIC",
        "simnet.cli.cli",
    )
    for source in internal:
        assert not all(is_public(use) for use in simnet_uses(source)), source


@pytest.mark.parametrize("path", FOUND, ids=[path.stem for path in FOUND])
def test_notebook_uses_only_public_names(path):
    """A notebook imports and reads only ``simnet``'s public names, ``simnet.plots`` and ``simnet.cli.main``."""
    notebook = nbformat.read(path, as_version=4)
    internal = {
        use
        for cell in notebook.cells
        if cell.cell_type == "code"
        for use in simnet_uses(cell.source)
        if not is_public(use)
    }
    assert not internal, f"{path.name} uses internal names {sorted(internal)}; use simnet's public API"


@pytest.mark.slow
@pytest.mark.parametrize("path", FOUND, ids=[path.stem for path in FOUND])
def test_notebook_runs_without_errors(path):
    """Executing the notebook top to bottom in a fresh ``python3`` kernel raises no error in any cell."""
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)
    print(f"{path.name}: {time.perf_counter() - started:.1f} s")


def test_kernel_is_this_interpreter(tmp_path):
    """The ``python3`` kernel runs this environment's Python, so the notebooks test the simnet installed here."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    printed = notebook.cells[0].outputs[0]["text"].strip()
    assert os.path.realpath(printed) == os.path.realpath(sys.executable)


def test_progress_in_jupyter_is_one_output_without_warnings(tmp_path):
    """simnet.run in a kernel, warnings raised as errors: its progress is one display redrawn to the end, no stderr."""
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL, encoding="utf-8")
    cell = (
        "import warnings\nwarnings.simplefilter('error')\nimport simnet\n"
        f"results = simnet.run({str(scenario)!r}, workers=1)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = notebook.cells[0].outputs
    assert [output.output_type for output in outputs] == ["display_data"], outputs
    shown = outputs[0].data["text/plain"]
    assert "2 of 2 replications done" in shown  # the last redraw, at the end of the run
    assert "8/8 days" in shown  # 2 replications × (1 warm-up + 2 measured + 1 drain day)
    assert "ETA" in shown
