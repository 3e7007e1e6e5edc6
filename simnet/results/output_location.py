"""Where results may go: a folder simnet may replace, and a parent that can take the files.

Checked before anything is simulated, so a run that cannot keep its results never starts:

- ``--force`` replaces only a folder simnet wrote (its ``manifest.json`` carries simnet's mark and
  it holds nothing simnet does not write), never the current folder or one of its parents;
- the parent folder can be created and written, and its drive has room for the results.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

MANIFEST_FILE = "manifest.json"

WRITTEN_BY = "simnet"
"""The mark in every manifest simnet writes (``"written_by"``); only a folder with it may be replaced."""

RUN_FILES = frozenset({"scenario.yaml", MANIFEST_FILE, "metrics.json", "report.html"})
"""Files a run's folder holds at its top (its tables live under ``tables/``)."""

SWEEP_FILES = frozenset({"sweep.json", "sweep.parquet", "summary.parquet", MANIFEST_FILE, "report.html"})
"""Files a sweep's folder holds at its top (its tasks live under ``tasks/``)."""

SUBFOLDER_SUFFIXES = {"tables": ".parquet", "tasks": ".json"}
"""Subfolders simnet writes and the suffix of every file in them."""

FREE_SPACE_MARGIN_BYTES = 16_000_000
"""Room kept free beyond the estimate: the estimate is rough, and a drive filled to the last byte fails others."""

SHOWN_FOREIGN = 3
"""Foreign files named in a refusal; the rest are counted."""


class OutputLocationError(Exception):
    """The results cannot go where asked; the message names the path, the reason and the fix."""


def check_replaceable(target: Path) -> None:
    """Raise ``OutputLocationError`` unless ``--force`` may delete ``target`` to put new results there."""
    if target.is_symlink():
        raise OutputLocationError(
            f"{target} is a symbolic link; --force replaces only a results folder simnet wrote, not a link"
        )
    if not target.is_dir():
        raise OutputLocationError(f"{target} is a file, not a results folder; choose another --out")
    resolved = target.resolve()
    here = Path.cwd().resolve()
    if resolved == here or resolved in here.parents:
        raise OutputLocationError(
            f"{target} is the current folder or one of its parents; --force never deletes that. "
            "Choose a new --out, e.g. results/runs/NAME"
        )
    if not _written_by_simnet(target):
        raise OutputLocationError(
            f"{target} was not written by simnet (no {MANIFEST_FILE} with simnet's mark), so --force leaves it "
            "alone; choose another --out, or delete the folder yourself if you are sure"
        )
    foreign = foreign_entries(target)
    if foreign:
        shown = ", ".join(foreign[:SHOWN_FOREIGN]) + (
            f" and {len(foreign) - SHOWN_FOREIGN} more" if len(foreign) > SHOWN_FOREIGN else ""
        )
        raise OutputLocationError(
            f"{target} holds files simnet did not write ({shown}), so --force leaves it alone; "
            "move them out or choose another --out"
        )


def _written_by_simnet(folder: Path) -> bool:
    """Whether ``folder/manifest.json`` is a JSON object carrying simnet's mark."""
    try:
        document = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("written_by") == WRITTEN_BY


def foreign_entries(folder: Path) -> list[str]:
    """Entries of a results folder that simnet does not write there, as paths relative to it."""
    expected = RUN_FILES | SWEEP_FILES
    foreign: list[str] = []
    for entry in sorted(folder.iterdir()):
        suffix = SUBFOLDER_SUFFIXES.get(entry.name)
        if suffix is not None and entry.is_dir() and not entry.is_symlink():
            foreign += [
                f"{entry.name}/{inner.name}"
                for inner in sorted(entry.iterdir())
                if inner.is_symlink() or not inner.is_file() or not inner.name.endswith(suffix)
            ]
        elif entry.name not in expected or entry.is_symlink() or not entry.is_file():
            foreign.append(entry.name)
    return foreign


def prepare_parent(target: Path, needed_bytes: int) -> None:
    """Create ``target``'s parent folder if needed and check it can take about ``needed_bytes`` more.

    Raises ``OutputLocationError`` naming the folder and the fix when it cannot be created, is not a
    writable folder, or its drive lacks the room.
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputLocationError(
            f"cannot create the folder {parent}: a file of that name is in the way; choose another --out"
        ) from None
    except OSError as error:
        raise OutputLocationError(
            f"cannot create the folder {parent}: {describe_os_error(error)}; choose another --out"
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputLocationError(f"cannot write into {parent} (permission denied); choose another --out")
    try:
        free_bytes = shutil.disk_usage(parent).free
    except OSError as error:
        raise OutputLocationError(f"cannot check the free space at {parent}: {describe_os_error(error)}") from None
    if free_bytes < needed_bytes + FREE_SPACE_MARGIN_BYTES:
        raise OutputLocationError(
            f"the results need about {_megabytes(needed_bytes)} but only {_megabytes(free_bytes)} is free on the drive "
            f"of {parent}; free some space or choose another --out"
        )


def describe_os_error(error: OSError) -> str:
    """The operating system's reason in words ("No space left on device"), with the file it concerns."""
    reason = error.strerror or str(error) or errno.errorcode.get(error.errno or 0, "unknown error")
    return f"{reason} ({error.filename})" if error.filename else reason


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / 1e6:,.1f} MB"
