"""One finished sweep task as a file: its metrics (or error) and a checksum over them.

``--resume`` trusts a task file only if it is whole and unchanged: valid JSON, the SHA-256 of its
payload equal to the one stored with it, the point and replication those of its name, metrics
numbers. A file that fails (truncated by a full drive, edited by hand) is not an error of the
sweep: its task is simply run again, with a warning naming the file.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

from simnet.experiment.executors import TaskResult

TASK_NAME = re.compile(r"^p(?P<point>[0-9]{4,})-r(?P<replication>[0-9]{4,})\.json$")
"""``p0003-r0001.json``: point 3, replication 1."""


class DamagedTaskFileError(ValueError):
    """A task file is not one simnet wrote whole; its task must run again."""


def task_file_name(point: int, replication: int) -> str:
    """The file name of a task."""
    return f"p{point:04d}-r{replication:04d}.json"


def task_file_text(result: TaskResult) -> str:
    """A task's file: its payload and the payload's SHA-256 (NaN metrics as null)."""
    metrics = None if result.metrics is None else {k: _finite_or_none(v) for k, v in result.metrics.items()}
    payload = {"point": result.point, "replication": result.replication, "metrics": metrics, "error": result.error}
    return json.dumps({**payload, "sha256": _checksum(payload)}, allow_nan=False) + "\n"


def read_task_file(path: Path) -> TaskResult:
    """The task a file holds; raises ``DamagedTaskFileError`` saying why it cannot be trusted."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, or not JSON (a truncated file)
        raise DamagedTaskFileError("is not whole JSON (truncated, or not a task file)") from None
    if not isinstance(document, dict) or set(document) != {"point", "replication", "metrics", "error", "sha256"}:
        raise DamagedTaskFileError("does not hold a task's fields")
    payload = {key: document[key] for key in ("point", "replication", "metrics", "error")}
    if document["sha256"] != _checksum(payload):
        raise DamagedTaskFileError("its checksum does not match its content")
    return _task_result(payload, path.name)


def _task_result(payload: dict[str, Any], name: str) -> TaskResult:
    """The result a checked payload holds, if it is the task its file name says and well formed."""
    named = TASK_NAME.match(name)
    point, replication, metrics, error = (payload[key] for key in ("point", "replication", "metrics", "error"))
    if named is None or (point, replication) != (int(named["point"]), int(named["replication"])):
        raise DamagedTaskFileError("its point and replication are not those of its name")
    if error is not None:
        if not isinstance(error, str) or metrics is not None:
            raise DamagedTaskFileError("its error is not a message")
        return TaskResult(point, replication, None, error)
    if not isinstance(metrics, dict) or not all(_is_number_or_none(value) for value in metrics.values()):
        raise DamagedTaskFileError("its metrics are not numbers")
    return TaskResult(point, replication, {k: math.nan if v is None else v for k, v in metrics.items()}, None)


def _checksum(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _finite_or_none(value: float) -> float | None:
    """A metric as JSON holds it: a plain int or float (numpy scalars unwrapped), null for NaN or infinity."""
    number = value.item() if hasattr(value, "item") else value
    return None if isinstance(number, float) and not math.isfinite(number) else number


def _is_number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
