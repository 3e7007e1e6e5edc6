"""Class 6, sweep task files are checked, not trusted: ``--resume`` re-runs any that is damaged or forged.

Each task file carries the SHA-256 of its payload; a truncated file (a full drive, a crash), an
edited one (checksum no longer matching) or one whose content is another task's is warned about
and its task runs again, so the sweep table holds only metrics simnet computed for that task.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from simnet.cli import main

from .conftest import TINY

VARY = "hub.capacity_per_day=2000,3000"


@pytest.fixture
def finished_sweep(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    """A finished two-point sweep of the tiny scenario: (scenario file, sweep folder, its table)."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(path), "--vary", VARY, "--out", str(out), "--workers", "1"]) == 0
    return path, out, pd.read_parquet(out / "sweep.parquet")


def _forge_metrics(text: str) -> str:
    document = json.loads(text)
    document["metrics"]["parcels_in"] = 1e12
    return json.dumps(document)


@pytest.mark.parametrize(
    ("damage", "warning"),
    [
        (lambda text: text[: len(text) // 2], "is not whole JSON (truncated, or not a task file)"),
        (_forge_metrics, "its checksum does not match its content"),
        (lambda text: "", "is not whole JSON (truncated, or not a task file)"),
    ],
    ids=["truncated", "forged-metrics", "emptied"],
)
def test_resume_reruns_a_damaged_task_file(finished_sweep, capsys, damage, warning):
    """--resume warns about a task file that is truncated, emptied or edited, runs its task again and
    writes the same table as the untouched sweep (exit 0, never a traceback)."""
    path, out, table = finished_sweep
    task = out / "tasks" / "p0000-r0000.json"
    task.write_text(damage(task.read_text()))
    capsys.readouterr()
    assert main(["sweep", str(path), "--vary", VARY, "--out", str(out), "--resume", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {task} {warning}; its task runs again" in err
    assert "Traceback" not in err
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), table)


def test_resume_reruns_a_task_file_holding_another_task(finished_sweep, capsys):
    """A whole, correctly summed file under another task's name is not that task's result: it runs again."""
    path, out, table = finished_sweep
    tasks = out / "tasks"
    (tasks / "p0000-r0000.json").write_text((tasks / "p0001-r0000.json").read_text())
    capsys.readouterr()
    assert main(["sweep", str(path), "--vary", VARY, "--out", str(out), "--resume", "--workers", "1"]) == 0
    assert "its point and replication are not those of its name" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_parquet(out / "sweep.parquet"), table)
