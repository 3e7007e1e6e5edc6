"""Temporary names of folders and files being written, and the removal of those a dead process left.

A results folder is written as ``.NAME.partial-PID`` beside its final place and renamed when
complete; a folder it replaces is first moved aside as ``.NAME.replaced-PID``. A process killed
in between (``kill -9``, a power cut) leaves such an entry behind; since its name records the
process id, the next run into the same folder removes every entry whose process no longer lives.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_LEFTOVER = re.compile(r"^\..+\.(?:partial|replaced)-(?P<pid>[0-9]{1,10})$")
"""Names of temporary entries, with the id of the process that made them."""


def staging_path(target: Path) -> Path:
    """Where ``target`` (a folder or a file) is written before it is renamed into place."""
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def replaced_path(target: Path) -> Path:
    """Where an existing ``target`` waits, moved aside, until its replacement is in place."""
    return target.with_name(f".{target.name}.replaced-{os.getpid()}")


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user counts: it may still be writing)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):  # not a process id this system could have
        return False
    return True


def remove_stale_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary entries in ``folder`` whose process has ended; return what was removed.

    An entry that cannot be removed (gone already, no permission) is left for a later run.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match is None or process_alive(int(match["pid"])):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed
