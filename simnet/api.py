"""``simnet.run``: a scenario run from Python in one call, giving the ``Results`` that ``load_results`` gives.

It does what ``simnet run`` does (the same memory check, the same claim of the results folder, the
same files), so a folder saved from Python and one written by the command are alike.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Literal

from rich.console import Console

from simnet.cli_progress import RunProgress
from simnet.experiment.replications import Engine, RunResult, run_scenario
from simnet.machine import available_memory_bytes
from simnet.network.errors import NetworkError
from simnet.results.claim import claim_results_folder
from simnet.results.folder import RunInfo, write_results
from simnet.results.load import Results, load_results
from simnet.run_size import RunSize, check_fits, estimate_run_size, worker_count
from simnet.scenario import LoadedScenario, Scenario, load, resolved_yaml, scenario_from_text
from simnet.scenario.errors import Location
from simnet.scenario.source_map import SourceMap


def run(
    scenario: str | Path | Scenario,
    *,
    out: str | Path | None = None,
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    workers: int | None = None,
    progress: bool = True,
    engine: Engine = "fast",
    force: bool = False,
    report: Literal["en", "zh"] | None = "en",
) -> Results:
    """Run a scenario (a file's path, or a ``Scenario``) and return its results, saved in ``out`` if given.

    ``replications``, ``seed`` and ``overrides`` (``key.path=value``, as ``--set``) change the
    scenario; ``workers`` and ``engine`` are ``simnet run``'s options. A saved folder is claimed as
    ``simnet run`` claims it: an existing one is refused, or with ``force`` replaced only if simnet
    wrote it; it holds ``report.html`` in the language ``report`` (``None``: no report). Unsaved
    results pass through a temporary folder, so they too are exactly what ``load_results`` reads;
    their ``path`` is the scenario's name. Raises ``ScenarioError`` (with the place when the
    scenario came from a file) for a scenario that cannot run, and ``OutputLocationError`` for an
    ``out`` that cannot take the results.
    """
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"seed={seed}"] if seed is not None else []
    every = (*overrides, *extra)
    loaded = _loaded(scenario, every)
    size = estimate_run_size(loaded.scenario, engine)
    check_fits(size, loaded, available_memory_bytes())
    if out is None:
        with tempfile.TemporaryDirectory(prefix="simnet-run-") as folder:
            kept = _simulate_and_write(loaded, size, Path(folder) / "run", every, workers, progress, engine, None)
            return replace(kept, path=Path(loaded.scenario.name))
    target = Path(out)
    with claim_results_folder(target, needed_bytes=size.output_bytes, existing="replace" if force else "refuse"):
        return _simulate_and_write(loaded, size, target, every, workers, progress, engine, report, force=force)


def _loaded(scenario: str | Path | Scenario, overrides: Sequence[str]) -> LoadedScenario:
    """The scenario validated with ``overrides``; one given as an object is located by its name in errors."""
    if not isinstance(scenario, Scenario):
        return load(scenario, overrides)
    source = f"scenario {scenario.name!r}"
    if overrides:
        scenario = scenario_from_text(resolved_yaml(scenario), source, overrides)
    return LoadedScenario(scenario=scenario, source_map=SourceMap(fallback=Location(source)), files=())


def _simulate_and_write(
    loaded: LoadedScenario,
    size: RunSize,
    target: Path,
    overrides: Sequence[str],
    workers: int | None,
    progress: bool,
    engine: Engine,
    report: Literal["en", "zh"] | None,
    *,
    force: bool = False,
) -> Results:
    """Simulate, write the folder ``target`` and read it back, so the tables are those of ``load_results``."""
    started = time.perf_counter()
    result = _simulate(loaded, engine, worker_count(size, workers, available_memory_bytes()), progress)
    info = RunInfo(
        wall_time_s=time.perf_counter() - started,
        engine=engine,
        sources=tuple(str(path) for path in loaded.files),
        overrides=tuple(overrides),
    )
    written = load_results(write_results(result, target, info, overwrite=force, report=report))
    assert isinstance(written, Results)
    return written


def _simulate(loaded: LoadedScenario, engine: Engine, workers: int, progress: bool) -> RunResult:
    """Every replication, with a progress display if asked; a network the scenario cannot drive is located."""
    with _progress(loaded.scenario, progress) as shown:
        try:
            return run_scenario(
                loaded.scenario,
                progress=shown.day_done if shown else None,
                on_route_plan=shown.planning if shown else None,
                engine=engine,
                workers=workers,
            )
        except NetworkError as error:
            raise loaded.error(error.path, error.message, error.hint) from None


def _progress(scenario: Scenario, shown: bool) -> AbstractContextManager[RunProgress | None]:
    """The progress display on standard error (a notebook output inside Jupyter), or none."""
    return RunProgress(Console(stderr=True), scenario) if shown else nullcontext()
