"""Class 4, environment failures: a location that cannot take the results, a full drive.

Checked before simulating where they can be (a path through a file, too little free space), and
reported with the path and the fix, never a traceback; when writing fails after simulating, the
user is told the results were not kept, and the key metrics still reach the screen.
"""

from __future__ import annotations

import errno
import resource
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

import simnet.experiment.replications
import simnet.results.folder
import simnet.results.output_location
from simnet.cli import EXIT_USER_ERROR, main

FILE_SIZE_LIMIT_BYTES = 64_000
"""Largest file the child may write: more than a lock or cache file, less than report.html (about 330 kB)."""


def _never_simulates(*args: object, **kwargs: object) -> None:
    raise AssertionError("the run simulated although its results could not be kept")


def test_output_under_a_regular_file_is_refused_before_simulating(scenario_file, tmp_path, monkeypatch, capsys):
    """An --out whose parent path runs through a regular file (root ignores permission bits, so this is the
    unwritable location every user has) exits 2 naming the path, before anything is simulated."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    assert main(["run", str(scenario_file), "--out", str(blocker / "sub" / "run")]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert f"cannot create the folder {blocker / 'sub'}" in err
    assert "Traceback" not in err


def test_too_little_free_space_is_refused_before_simulating(scenario_file, tmp_path, monkeypatch, capsys):
    """A drive with less room than the results need exits 2 before simulating, saying how much is needed."""
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(simnet.results.output_location.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 1_000))
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "run")]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "the results need about" in err
    assert "free some space or choose another --out" in err
    assert not (tmp_path / "run").exists()


def test_full_drive_while_writing_says_the_results_were_not_kept(scenario_file, tmp_path, monkeypatch, capsys):
    """A drive that fills while the folder is written (the writer raises ENOSPC) exits 2: the message names
    the folder and says nothing was kept, the key metrics are printed, and no partial folder is left."""

    def full_drive(path: Path, document: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(simnet.results.folder, "_write_json", full_drive)
    out = tmp_path / "run"
    assert main(["run", str(scenario_file), "--out", str(out), "--no-report"]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert f"the results could not be written to {out}: No space left on device" in captured.err
    assert "nothing was kept there" in captured.err
    assert "parcels delivered" in captured.out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux applies it")
def test_file_size_limit_in_a_real_process_is_an_environment_error(scenario_file, tmp_path):
    """A real process whose files may not grow past 64 kB (RLIMIT_FSIZE: the kernel's full drive for this
    process, with no root needed) fails writing report.html: exit 2 with the reason, no traceback, no folder."""
    out = tmp_path / "run"

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))

    finished = subprocess.run(
        [sys.executable, "-m", "simnet", "run", str(scenario_file), "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=limit_file_size,
        timeout=300,
        check=False,
    )
    assert finished.returncode == EXIT_USER_ERROR, finished.stderr
    assert "File too large" in finished.stderr
    assert "nothing was kept there" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tiny.yaml"]
