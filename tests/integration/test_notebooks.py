"""The analyst notebooks in notebooks/: committed without outputs, and each runs top to bottom without an error.

They run as Jupyter would run them: nbclient starts the ``python3`` kernel that ipykernel installs into
this environment (jupyter_client starts it with this interpreter), with the notebook's folder as the
working directory, and the route cache in the test session's temporary folder (``SIMNET_CACHE_DIR``,
set in ``tests/conftest.py``, is inherited by the kernel).
"""

import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FOUND = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT_S = 300


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
