"""One writer per results folder: a second lock on the same folder is refused while the first is held."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from simnet.results.folder_lock import FolderBusyError, lock_path, results_lock


def test_second_lock_is_refused_until_the_first_is_let_go(tmp_path):
    """While held, the lock file names this process and a second taker is refused; afterwards it is free."""
    target = tmp_path / "run"
    with results_lock(target):
        assert lock_path(target).read_text().strip().isdigit()
        with pytest.raises(FolderBusyError, match="another simnet run"), results_lock(target):
            pass
    assert not lock_path(target).exists()
    with results_lock(target):
        pass


def test_a_forked_worker_outliving_a_killed_run_does_not_hold_its_lock(tmp_path):
    """A run killed while its forked worker still runs leaves the folder free: the worker closed its copy."""
    target = tmp_path / "run"
    ready = tmp_path / "worker-pid"
    program = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        from simnet.results.folder_lock import results_lock
        with results_lock(Path({str(target)!r})):
            worker = os.fork()
            if worker == 0:
                time.sleep(60)
                os._exit(0)
            Path({str(ready)!r}).write_text(str(worker))
            os._exit(9)
        """
    )
    subprocess.run([sys.executable, "-c", program], check=False, timeout=60)
    worker = int(ready.read_text())
    try:
        os.kill(worker, 0)  # the worker is still alive
        with results_lock(target):
            pass
    finally:
        os.kill(worker, signal.SIGKILL)
