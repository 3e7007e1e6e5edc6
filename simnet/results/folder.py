"""Write a run's results folder (DESIGN.md §6) atomically: under a temporary name, renamed when complete.

A folder that is written is whole or absent: it is made as ``.NAME.partial-PID`` beside its place
and renamed when complete; a folder it replaces (``overwrite``, only one simnet wrote) is moved
aside first and deleted last. A failure to write (a full drive) leaves nothing behind and says so.
"""

from __future__ import annotations

import json
import math
import platform
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simnet.experiment.replications import RunResult
from simnet.results.output_location import WRITTEN_BY, OutputLocationError, check_replaceable, describe_os_error
from simnet.results.staging import replaced_path, staging_path
from simnet.results.table_parts import TableParts
from simnet.scenario import Scenario, resolved_yaml

if TYPE_CHECKING:
    from simnet.labels import Lang
    from simnet.report.ahead import DrawnAhead, ReportAhead

REPORT_FILE = "report.html"
"""The HTML report's name inside a results folder."""

LIBRARIES = ("simpy", "numpy", "pydantic", "pyvrp", "pandas", "pyarrow")


class ResultsExistError(OutputLocationError):
    """The output folder exists already; runs never overwrite one unless asked."""


class ResultsNotWrittenError(OutputLocationError):
    """Writing a results folder failed (a full drive, a vanished folder); nothing half-written was left."""


@dataclass(frozen=True)
class RunInfo:
    """What the manifest records about how a run was made."""

    wall_time_s: float
    engine: str
    sources: tuple[str, ...]
    overrides: tuple[str, ...]


@cache
def _version(package: str) -> str:
    """The installed version of ``package`` (looked up once per process: each lookup scans the installed packages)."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _plain(value: Any) -> Any:
    """JSON-safe numbers: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def manifest_basics(scenario: Scenario, engine: str) -> dict[str, Any]:
    """What every manifest records: versions, engine, scenario, seed, replications, Python and platform."""
    return {
        "written_by": WRITTEN_BY,
        "simnet_version": _version("simnet"),
        "engine": engine,
        "scenario": scenario.name,
        "seed": scenario.seed,
        "replications": scenario.replications,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in LIBRARIES},
    }


def manifest(result: RunResult, info: RunInfo) -> dict[str, Any]:
    """The run's manifest: versions, seed, replications, platform, wall time, sources."""
    return {
        **manifest_basics(result.scenario, info.engine),
        "wall_time_s": round(info.wall_time_s, 3),
        "sources": list(info.sources),
        "overrides": list(info.overrides),
    }


def metrics_document(result: RunResult) -> dict[str, Any]:
    """``metrics.json``: the summary (mean, 95 % CI, n) and every replication's metrics."""
    return {
        "summary": {name: {k: _plain(v) for k, v in est.as_dict().items()} for name, est in result.summary.items()},
        "replications": [
            {"replication": index + 1, **{name: _plain(value) for name, value in metrics.items()}}
            for index, metrics in enumerate(result.metrics)
        ],
    }


@contextmanager
def atomic_folder(target: Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; put it in ``target``'s place only if the block completes.

    An existing ``target`` is refused (``ResultsExistError``) unless ``overwrite`` is asked and it is
    a folder simnet may replace (``check_replaceable``); it is then swapped out only once the new one is whole.
    """
    _check_free(target, overwrite=overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_path(target)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        _check_free(target, overwrite=overwrite)  # again: the block may have taken minutes
        if target.exists():
            aside = replaced_path(target)
            target.rename(aside)
            staging.rename(target)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_free(target: Path, *, overwrite: bool) -> None:
    """``target`` does not exist, or it may be replaced and ``overwrite`` asks to."""
    if not (target.exists() or target.is_symlink()):
        return
    if not overwrite:
        raise ResultsExistError(f"{target} exists already; choose another --out or add --force")
    check_replaceable(target)


def write_results(
    result: RunResult,
    target: Path,
    info: RunInfo,
    *,
    overwrite: bool = False,
    report: Lang | None = None,
    ahead: ReportAhead | None = None,
) -> Path:
    """Write a run's whole results folder and return its path; with ``report``, ``report.html`` in that language.

    ``ahead``, a report worker started before the run (``report/ahead``), writes that report if it can.

    Raises ``ResultsNotWrittenError`` (naming the folder, the reason and the fix) when the files cannot
    be written, after removing what was begun.
    """
    try:
        with atomic_folder(target, overwrite=overwrite) as staging:
            (staging / "scenario.yaml").write_text(resolved_yaml(result.scenario), encoding="utf-8")
            _write_json(staging / "manifest.json", manifest(result, info))
            _write_json(staging / "metrics.json", metrics_document(result))
            tables = staging / "tables"
            tables.mkdir()
            for name in result.tables:
                if isinstance(result.tables, TableParts):
                    result.tables.write_parquet(name, tables / f"{name}.parquet")
                else:
                    result.tables[name].to_parquet(tables / f"{name}.parquet", index=False)
            if report is not None and not (ahead is not None and ahead.lang == report and ahead.write(staging, target)):
                write_report_file(staging, target, report)  # in staging: the folder appears complete or not at all
    except OSError as error:
        raise ResultsNotWrittenError(
            f"the results could not be written to {target}: {describe_os_error(error)}; nothing was kept there. "
            "Free some space (or fix the folder's permissions) or choose another --out, and run again"
        ) from error
    return target


def write_report_file(staging: Path, target: Path, lang: Lang, ahead: DrawnAhead | None = None) -> None:
    """Write ``report.html`` of the run in ``staging`` (named after ``target``, where it will live).

    ``ahead`` holds figures drawn before the run ended; those drawn from exactly these results are used.
    """
    from simnet.report.html import run_report_html  # noqa: PLC0415  (matplotlib loads only for a report)
    from simnet.results.load import Results, load_results  # noqa: PLC0415

    loaded = load_results(staging)
    assert isinstance(loaded, Results)
    drawn = ahead.fitting(loaded) if ahead is not None else None
    html = run_report_html(replace(loaded, path=target), lang=lang, drawn=drawn)
    (staging / REPORT_FILE).write_text(html, encoding="utf-8")


def _write_json(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
