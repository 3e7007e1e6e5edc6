"""One writer per results folder: a lock beside it, taken before simulating and held until written.

The lock is ``.NAME.lock`` in the folder's parent, locked with ``flock``: the kernel lets go of it
when its holder ends in any way (``kill -9`` included), so a dead run never blocks the next. The
file holds the holder's process id, to say who is writing. A run that finds the lock held stops
at once, before it has simulated anything. A forked worker process closes its copy of a held lock
at once, so workers that outlive a killed run (finishing their task) never keep its folder locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simnet.results.output_location import OutputLocationError

_HELD_DESCRIPTORS: set[int] = set()


def _close_inherited_locks() -> None:
    """In a forked child: close the copies of the parent's lock descriptors (the parent keeps its lock)."""
    for descriptor in _HELD_DESCRIPTORS:
        os.close(descriptor)
    _HELD_DESCRIPTORS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


class FolderBusyError(OutputLocationError):
    """Another simnet process is writing the same results folder."""


def lock_path(target: Path) -> Path:
    """The lock file of results folder ``target`` (made absolute, so ``.`` has a name to lock by)."""
    folder = target.absolute()
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def results_lock(target: Path) -> Iterator[None]:
    """Hold the lock of results folder ``target`` (its parent must exist) for the block.

    Raises ``FolderBusyError`` at once if another process holds it, and ``OutputLocationError``
    if the lock file cannot be made (the parent is not writable).
    """
    path = lock_path(target)
    descriptor = _locked_descriptor(path, target)
    _HELD_DESCRIPTORS.add(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)  # while still locked, so no one locks a file about to vanish
        _HELD_DESCRIPTORS.discard(descriptor)
        os.close(descriptor)


def _locked_descriptor(path: Path, target: Path) -> int:
    """An open descriptor of ``path`` holding its lock, the file being the one at ``path`` now.

    A holder removes the file before letting go, so a process that opened the old file and then got
    its lock checks that the path still names that file, and tries again with the new one if not.
    """
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OutputLocationError(
                f"cannot write into {path.parent} ({error.strerror}); choose another --out"
            ) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            raise FolderBusyError(
                f"another simnet run{holder} is writing {target}; wait for it to finish or choose another --out"
            ) from None
        try:
            same_file = os.path.samestat(os.fstat(descriptor), os.stat(path))
        except FileNotFoundError:
            same_file = False
        if same_file:
            return descriptor
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    """`` (process N)`` for the process id written in the lock file, or nothing if it cannot be read."""
    text = os.pread(descriptor, 32, 0).decode("ascii", errors="replace").strip()
    return f" (process {text})" if text.isdigit() else ""
