"""Whether work can be shared with forked worker processes here, and with how many at once."""

from __future__ import annotations

import multiprocessing
import os
import signal


def cores() -> int:
    """Cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def fork_workers() -> int:
    """How many forked workers are worth starting: one per core, or 0 where none can be.

    None without fork (Windows, macOS by default), on one core, or inside a daemonic process
    (a pool's worker), which may not have children.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 0
    count = cores()
    return count if count >= 2 else 0


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C and SIGTERM to the parent, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
