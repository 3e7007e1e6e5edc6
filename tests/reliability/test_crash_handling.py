"""Class 7, crash handling: no traceback ever reaches the user.

A bug in simnet ends in one line of apology naming a crash report (traceback, versions, command
line) written beside the results, or in the current folder when there are none; an environment
failure that escapes every specific check (an OSError, running out of memory) is exit 2 with the
reason, not a bug report.
"""

from __future__ import annotations

import errno
import subprocess
import sys

import pytest

import simnet.experiment.replications
import simnet.scenario
from simnet.cli import EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, main


def _bug(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("a bug deep in the engine")


def test_a_bug_gives_one_line_and_a_crash_report_beside_the_results(scenario_file, tmp_path, monkeypatch, capsys):
    """An internal error prints one line (exit 70) naming a crash report in the results' parent folder;
    the report holds the traceback, the versions and the command line; no results folder is left."""
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _bug)
    out = tmp_path / "results" / "run"
    args = ["run", str(scenario_file), "--out", str(out)]
    assert main(args) == EXIT_INTERNAL_ERROR
    err_lines = capsys.readouterr().err.strip().splitlines()
    apology = err_lines[-1]
    assert "internal error (ZeroDivisionError), a bug in simnet, sorry" in apology
    reports = list(out.parent.glob("simnet-crash-*.txt"))
    assert len(reports) == 1
    assert str(reports[0]) in apology
    text = reports[0].read_text(encoding="utf-8")
    for expected in ("Traceback", "ZeroDivisionError: a bug deep in the engine", f"simnet {' '.join(args)}", "numpy:"):
        assert expected in text
    assert not any("Traceback" in line for line in err_lines)
    assert not out.exists()


def test_a_bug_without_a_results_location_reports_into_the_current_folder(tmp_path, monkeypatch, capsys):
    """A command with no results folder (here ``validate``) writes its crash report in the current folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(simnet.scenario, "load", _bug)
    assert main(["validate", "any.yaml"]) == EXIT_INTERNAL_ERROR
    assert len(list(tmp_path.glob("simnet-crash-*.txt"))) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.EIO, "Input/output error", "/data/scenario.yaml"), "Input/output error (/data/scenario.yaml)"),
        (MemoryError(), "simnet ran out of memory"),
    ],
    ids=["os-error", "memory-error"],
)
def test_environment_failures_are_exit_2_not_bugs(scenario_file, tmp_path, monkeypatch, capsys, error, message):
    """An OSError or MemoryError that no specific check caught is the environment's: exit 2 with the reason
    and the file, and no crash report."""

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", fail)
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "run")]) == EXIT_USER_ERROR
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("simnet-crash-*.txt"))


def test_the_installed_command_prints_no_traceback_for_a_missing_file(tmp_path):
    """``python -m simnet`` as a user starts it: a scenario that does not exist is exit 2, one clear line."""
    finished = subprocess.run(
        [sys.executable, "-m", "simnet", "run", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert finished.returncode == EXIT_USER_ERROR
    assert "no such file" in finished.stderr
    assert "Traceback" not in finished.stderr
