"""One writer per results folder: a second lock on the same folder is refused while the first is held."""

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
