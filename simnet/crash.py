"""Crash reports: what a bug in simnet leaves for its developers, instead of a traceback on screen.

A user or environment error is the user's to fix and says how; an internal error is simnet's,
so the user gets one line of apology and the path of a report holding the traceback, the
versions and the command line. The report goes beside the results the command was making
(where the user looks), else into the current folder, else the temporary folder.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from contextvars import ContextVar
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LIBRARIES = ("simnet", "simpy", "numpy", "pandas", "pyarrow", "pydantic", "pyvrp", "click", "rich")
"""Packages whose versions a report lists."""

_output_location: ContextVar[Path | None] = ContextVar("output_location", default=None)


def note_output_location(path: Path) -> None:
    """Remember where the running command writes its results, so a crash report can go beside them."""
    _output_location.set(path)


def forget_output_location() -> None:
    """A new command starts: no results location yet (an earlier command's in this process does not count)."""
    _output_location.set(None)


def report_folders() -> list[Path]:
    """Folders to try for a crash report, best first: beside the results, here, the temporary folder."""
    folders: list[Path] = []
    output = _output_location.get()
    if output is not None:
        folders.append(output.parent)
    folders += [Path.cwd(), Path(tempfile.gettempdir())]
    return folders


def crash_report_text(error: BaseException, argv: Sequence[str]) -> str:
    """The report: when, the command line, versions, platform and the traceback."""
    lines = [
        "simnet crash report",
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: simnet {' '.join(argv)}",
        f"working folder: {Path.cwd()}",
        f"python: {sys.version.split()[0]} ({sys.executable})",
        f"platform: {platform.platform()}",
        *(f"{name}: {_version(name)}" for name in LIBRARIES),
        "",
        *traceback.format_exception(error),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_report(error: BaseException, argv: Sequence[str]) -> Path | None:
    """Write the report of ``error`` into the first folder that takes it; ``None`` if none does."""
    text = crash_report_text(error, argv)
    name = f"simnet-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for folder in report_folders():
        path = folder / name
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
        except OSError:
            continue
        return path
    return None


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"
