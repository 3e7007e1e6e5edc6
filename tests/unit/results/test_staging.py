"""Leftovers of dead processes are removed; those of live processes and other entries stay."""

import os

from simnet.results.staging import process_alive, remove_stale_leftovers, staging_path


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_only_leftovers_of_ended_processes_are_removed(tmp_path):
    """A partial folder and a moved-aside folder of a dead process go; a live process's partial, a
    user's hidden file and a results folder stay."""
    dead = _dead_pid()
    gone = [tmp_path / f".run.partial-{dead}", tmp_path / f".run.replaced-{dead}", tmp_path / f".t.json.partial-{dead}"]
    gone[0].mkdir()
    gone[1].mkdir()
    gone[2].write_text("{")
    kept = [tmp_path / f".other.partial-{os.getppid()}", tmp_path / ".bashrc", tmp_path / "run"]
    kept[0].mkdir()
    kept[1].write_text("x")
    kept[2].mkdir()
    assert sorted(remove_stale_leftovers(tmp_path)) == sorted(gone)
    assert all(path.exists() for path in kept)


def test_staging_path_names_this_process():
    """A staging name records this process's id, which is alive."""
    path = staging_path(__import__("pathlib").Path("/x/run"))
    assert path.name == f".run.partial-{os.getpid()}"
    assert process_alive(os.getpid())
