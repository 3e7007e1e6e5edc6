"""Every benchmark's figures, gathered in one JSON file that the README's performance table quotes.

A benchmark calls the ``benchmark_figure`` fixture with a name, the measured value, its unit and
its target; at the end of a session that ran benchmarks, the figures are written to
``tests/benchmarks/figures.json`` with the machine they were measured on and the command. A
session that runs only some benchmarks keeps the other figures already in the file.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

FIGURES_FILE = Path(__file__).with_name("figures.json")
COMMAND = "nox -s benchmarks  (or: pytest tests/benchmarks -m benchmark -s)"

_MEASURED: dict[str, dict[str, object]] = {}


@pytest.fixture
def benchmark_figure() -> Callable[..., None]:
    """Record one figure: ``benchmark_figure(name, value, unit, target, better="lower", detail="")``."""

    def record(name: str, value: float, unit: str, target: float, better: str = "lower", detail: str = "") -> None:
        met = value <= target if better == "lower" else value >= target
        _MEASURED[name] = {"value": round(value, 3), "unit": unit, "target": target, "better": better,
                           "met": met, "detail": detail}  # fmt: skip

    return record


def _machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}  # fmt: skip


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the figures measured in this session (merged with those already in the file)."""
    if not _MEASURED or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    try:
        document = json.loads(FIGURES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        document = {"figures": {}}
    document["figures"].update(_MEASURED)
    document["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    document["machine"] = _machine()
    document["command"] = COMMAND
    document["argv"] = " ".join(sys.argv[1:])
    FIGURES_FILE.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
