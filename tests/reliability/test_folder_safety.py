"""Class 1, folder safety: nothing of the user's is ever deleted, one writer per folder, no leftovers."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

import simnet.experiment.replications
from simnet.cli import EXIT_TERMINATED, EXIT_USER_ERROR, main
from simnet.results.folder_lock import lock_path
from simnet.results.output_location import WRITTEN_BY


def _run(scenario_file: Path, out: Path, *extra: str) -> int:
    return main(["run", str(scenario_file), "--out", str(out), "--no-report", *extra])


def _dead_pid() -> int:
    """The id of a process that has ended (a child run to completion and reaped)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def _never_simulates(*args: object, **kwargs: object) -> None:
    raise AssertionError("the run simulated although its folder was refused")


def test_force_replaces_a_folder_simnet_wrote(scenario_file, tmp_path):
    """--force replaces a results folder simnet wrote; the new one carries simnet's mark."""
    out = tmp_path / "run"
    assert _run(scenario_file, out) == 0
    assert _run(scenario_file, out, "--force", "--seed", "7") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["written_by"], manifest["seed"]) == (WRITTEN_BY, 7)


def test_force_never_deletes_the_current_folder_or_a_parent(scenario_file, tmp_path, monkeypatch, capsys):
    """--force pointed at the current folder or one of its parents is refused (exit 2), nothing touched.

    The current folder here even looks like a results folder (a simnet manifest), so only the rule
    about the current folder stops it.
    """
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    (here / "manifest.json").write_text(json.dumps({"written_by": WRITTEN_BY}))
    monkeypatch.chdir(here)
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    for target in (here, Path("."), here.parent, Path("..")):
        assert _run(scenario_file, target, "--force") == EXIT_USER_ERROR
        assert "current folder or one of its parents" in capsys.readouterr().err
    assert sorted(path.name for path in here.iterdir()) == ["manifest.json"]


@pytest.mark.parametrize(
    ("contents", "reason"),
    [
        ({"notes.txt": "mine"}, "not written by simnet"),
        ({"manifest.json": '{"written_by": "someone else"}'}, "not written by simnet"),
        ({"manifest.json": json.dumps({"written_by": WRITTEN_BY}), "thesis.docx": "years of work"}, "thesis.docx"),
    ],
)
def test_force_leaves_a_folder_simnet_did_not_write(scenario_file, tmp_path, monkeypatch, capsys, contents, reason):
    """--force on a folder without simnet's manifest, or holding files simnet does not write, exits 2 untouched."""
    out = tmp_path / "precious"
    out.mkdir()
    for name, text in contents.items():
        (out / name).write_text(text)
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    assert _run(scenario_file, out, "--force") == EXIT_USER_ERROR
    assert reason in capsys.readouterr().err
    assert {path.name: path.read_text() for path in out.iterdir()} == contents


def test_force_refuses_a_file_and_a_link(scenario_file, tmp_path, monkeypatch, capsys):
    """--force never replaces a regular file or a symbolic link (even one to a simnet folder)."""
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    file = tmp_path / "a-file"
    file.write_text("data")
    real = tmp_path / "real"
    real.mkdir()
    (real / "manifest.json").write_text(json.dumps({"written_by": WRITTEN_BY}))
    link = tmp_path / "link"
    link.symlink_to(real)
    assert _run(scenario_file, file, "--force") == EXIT_USER_ERROR
    assert _run(scenario_file, link, "--force") == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "is a file" in err
    assert "symbolic link" in err
    assert file.read_text() == "data"
    assert (real / "manifest.json").exists()
    assert link.is_symlink()


def test_second_writer_of_a_folder_is_refused_at_once(scenario_file, tmp_path, paused_run, monkeypatch, capsys):
    """While one run holds a results folder (here: paused where it would simulate), a second run into the
    same --out exits 2 at once, naming the first one's process, without simulating; the first then finishes."""
    out = tmp_path / "shared"
    first = paused_run(tmp_path, "simulate", ["run", str(scenario_file), "--out", str(out), "--no-report"])
    first.wait_until_paused()
    monkeypatch.setattr(simnet.experiment.replications, "run_scenario", _never_simulates)
    assert _run(scenario_file, out) == EXIT_USER_ERROR
    assert f"another simnet run (process {first.process.pid}) is writing" in capsys.readouterr().err
    first.stop(signal.SIGTERM)
    assert not lock_path(out).exists()


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_run_stopped_while_writing_leaves_no_results_folder(scenario_file, tmp_path, paused_run, signum):
    """A run killed (kill -9) or terminated (SIGTERM) in the middle of writing leaves no results folder.

    SIGTERM is handled like Ctrl-C: exit 143, the staging folder removed on the way out. After
    kill -9 the staging folder stays, but the next run into the same parent removes it (its process
    is dead) and writes a whole folder.
    """
    out = tmp_path / "results" / "run"
    run = paused_run(tmp_path, "write", ["run", str(scenario_file), "--out", str(out), "--no-report"])
    staging = Path(run.wait_until_paused())
    assert staging.parent == out.parent
    assert staging.name.startswith(".run.partial-")
    status, err = run.stop(signum)
    assert not out.exists()
    if signum == signal.SIGTERM:
        assert (status, err.strip().splitlines()[-1]) == (EXIT_TERMINATED, "terminated")
        assert not staging.exists()
    else:
        assert status == -signal.SIGKILL
        assert staging.exists()
    assert _run(scenario_file, out) == 0
    assert not staging.exists()
    assert sorted(path.name for path in out.parent.iterdir()) == ["run"]


def test_leftovers_of_live_processes_are_kept(scenario_file, tmp_path):
    """Only leftovers of ended processes are removed: a partial folder of a live process (another run
    writing beside this one) stays, one of a dead process goes."""
    live = tmp_path / f".other.partial-{os.getppid()}"
    dead = tmp_path / f".gone.partial-{_dead_pid()}"
    live.mkdir()
    dead.mkdir()
    assert _run(scenario_file, tmp_path / "run") == 0
    assert live.exists()
    assert not dead.exists()
