"""Claim a results folder before simulating: everything that could stop the results being kept.

In order: the parent folder exists and has room (``output_location``), this process is the only
writer (``folder_lock``), an existing folder is refused or may be replaced, and what dead runs
left half-written beside it is removed (``staging``). Only then does a run spend its minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from simnet.results.folder import ResultsExistError
from simnet.results.folder_lock import results_lock
from simnet.results.output_location import check_replaceable, prepare_parent
from simnet.results.staging import remove_stale_leftovers

Existing = Literal["refuse", "replace", "leave"]
"""What to do about a folder already at the target: refuse it, replace it (``--force``), or leave
it to the caller (a sweep that resumes checks it is the same sweep)."""


@contextmanager
def claim_results_folder(target: Path, *, needed_bytes: int, existing: Existing) -> Iterator[None]:
    """Hold ``target`` for this process's results for the block, after checking it can take them.

    Raises ``OutputLocationError`` (or its ``ResultsExistError`` and ``FolderBusyError``) with the
    path, the reason and the fix, before anything has been simulated.
    """
    prepare_parent(target, needed_bytes)
    with results_lock(target):
        if target.exists() or target.is_symlink():
            if existing == "refuse":
                raise ResultsExistError(f"{target} exists already; choose another --out or add --force")
            if existing == "replace":
                check_replaceable(target)
        remove_stale_leftovers(target.parent)
        yield
