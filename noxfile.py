"""One place to run every check, the same way locally and in CI: ``nox -s tests lint types``."""

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "types"]
nox.options.default_venv_backend = "venv"

PYTHON = "3.11"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite (benchmarks deselected)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff's lint rules and formatting check."""
    session.install("ruff")
    session.run("ruff", "check", "simnet", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "simnet", "tests", "noxfile.py")


@nox.session(python=PYTHON)
def types(session: nox.Session) -> None:
    """Strict mypy over the package."""
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session(python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """Execute every analyst notebook top to bottom and check none is committed with outputs.

    The same test the suite runs (nbclient, the ``python3`` kernel of this session's environment).
    """
    if not sorted(Path("notebooks").glob("*.ipynb")):
        session.skip("no notebooks in notebooks/ yet")
    session.install("-e", ".[test]")
    session.run("pytest", "tests/integration/test_notebooks.py", "-s", *session.posargs)


@nox.session(python=PYTHON)
def benchmarks(session: nox.Session) -> None:
    """Speed measurements in tests/benchmarks (deselected from the ordinary test run).

    Their figures go to tests/benchmarks/figures.json, and the README's performance table is remade from it.
    """
    session.install("-e", ".[test]")
    session.run("pytest", "tests/benchmarks", "-m", "benchmark", "-s", *session.posargs)
    session.run("python", "tests/benchmarks/readme_table.py")
