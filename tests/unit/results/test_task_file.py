"""A sweep task file round-trips its task and refuses any change to it."""

import json
import math

import pytest

from simnet.experiment.executors import TaskResult
from simnet.results.task_file import DamagedTaskFileError, read_task_file, task_file_name, task_file_text


def _write(tmp_path, result: TaskResult, text: str | None = None):
    path = tmp_path / task_file_name(result.point, result.replication)
    path.write_text(task_file_text(result) if text is None else text)
    return path


def test_metrics_and_errors_round_trip(tmp_path):
    """Metrics (ints stay ints, NaN via null) and a failure's error come back as written."""
    done = TaskResult(2, 1, {"parcels_in": 12, "pickup_time_h_mean": math.nan, "cost_cny": 3.25}, None)
    back = read_task_file(_write(tmp_path, done))
    assert (back.point, back.replication, back.error) == (2, 1, None)
    assert back.metrics["parcels_in"] == 12
    assert type(back.metrics["parcels_in"]) is int
    assert math.isnan(back.metrics["pickup_time_h_mean"])
    failed = TaskResult(0, 0, None, "ValueError: no")
    assert read_task_file(_write(tmp_path, failed)) == failed


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: {**d, "metrics": {"parcels_in": 13}}, "checksum"),
        (lambda d: {k: v for k, v in d.items() if k != "sha256"}, "fields"),
        (lambda d: {**d, "sha256": "0" * 64}, "checksum"),
    ],
)
def test_any_change_is_refused(tmp_path, change, reason):
    """Edited metrics, a missing checksum or a wrong one make the file untrusted, saying why."""
    result = TaskResult(0, 0, {"parcels_in": 12}, None)
    document = json.loads(task_file_text(result))
    path = _write(tmp_path, result, json.dumps(change(document)))
    with pytest.raises(DamagedTaskFileError, match=reason):
        read_task_file(path)


def test_metrics_that_are_not_numbers_are_refused_even_with_a_valid_checksum(tmp_path):
    """A forged file whose checksum was recomputed still needs numbers for metrics."""
    forged = TaskResult(0, 0, {"parcels_in": "many"}, None)  # type: ignore[dict-item]
    with pytest.raises(DamagedTaskFileError, match="not numbers"):
        read_task_file(_write(tmp_path, forged))
