"""``simnet sweep``: run a scenario at every point of a grid (or zipped values), resumably."""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

from simnet.cli_progress import RUNS_DIR, NotebookAwareProgress
from simnet.crash import note_output_location
from simnet.experiment.executors import Executor, SchedulerUnreachableError, TaskResult, make_executor
from simnet.experiment.points import parse_vary, sweep_points, varies_of
from simnet.experiment.sweep import SweepPlan, plan_sweep, result_rows, run_tasks
from simnet.report.console import sweep_table
from simnet.results.claim import claim_results_folder
from simnet.results.folder import ResultsExistError, manifest_basics
from simnet.results.sweep_folder import SweepFolder, SweepMismatchError, sweep_output_bytes, sweep_spec
from simnet.scenario import load
from simnet.terminal_text import visible

SET_HELP = "Override a value of the base scenario (repeatable; YAML syntax)."
EXIT_TASKS_FAILED = 1


@click.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option("--vary", "varies", multiple=True, metavar="KEY=V1,V2,...", help="Values of a key to sweep (repeatable).")
@click.option("--zip", "zipped", is_flag=True, help="Pair the i-th values of every --vary instead of a full grid.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--replications", type=int, help="Replications per point (overrides the scenario's).")
@click.option("--seed", type=int, help="Root random seed (overrides the scenario's).")
@click.option("--workers", type=int, help="Local worker processes (default: one per core).")
@click.option("--scheduler", metavar="ADDRESS", help="Run on a Dask cluster at ADDRESS instead of local processes.")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), help="Sweep folder (default results/runs/NAME-sweep-TIME)."
)
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out, running only what is missing.")
def sweep(
    scenario_file: str,
    varies: Sequence[str],
    zipped: bool,
    overrides: Sequence[str],
    replications: int | None,
    seed: int | None,
    workers: int | None,
    scheduler: str | None,
    out_dir: str | None,
    resume: bool,
) -> None:
    """Run SCENARIO at every sweep point; writes a table with a row per point and replication."""
    if resume and not out_dir:
        raise click.UsageError("--resume needs the --out folder of the sweep to continue")
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"seed={seed}"] if seed is not None else []
    base = load(scenario_file, [*overrides, *extra])
    chosen = [parse_vary(text) for text in varies] if varies else varies_of(base)
    as_zip = zipped or (not varies and base.scenario.sweep is not None and base.scenario.sweep.mode == "zip")
    points = sweep_points(chosen, zipped=as_zip)
    console = Console(stderr=True)
    console.print(f"checking {len(points)} sweep point(s) …")
    plan = plan_sweep(scenario_file, [*overrides, *extra], points)
    try:
        executor = make_executor(workers, scheduler)
    except SchedulerUnreachableError as error:
        raise click.UsageError(str(error)) from None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = SweepFolder(Path(out_dir) if out_dir else RUNS_DIR / f"{Path(scenario_file).stem}-sweep-{stamp}")
    note_output_location(folder.path)
    started = time.perf_counter()
    with claim_results_folder(folder.path, needed_bytes=sweep_output_bytes(plan), existing="leave"):
        try:
            folder.open(sweep_spec(plan), resume=resume)
        except (ResultsExistError, SweepMismatchError) as error:
            raise click.UsageError(f"{error}; choose another --out (or --resume the same sweep)") from None
        done = resumed_tasks(folder, plan) if resume else []
        new = run_missing_tasks(plan, folder, done, executor, console, "sweep tasks")
        parameters = [vary.key for vary in chosen]
        manifest = {
            **manifest_basics(plan.scenarios[0], "fast"),
            "points": len(points),
            "tasks_run": len(new),
            "tasks_resumed": len(done),
            "workers": workers,
            "scheduler": scheduler,
            "wall_time_s": round(time.perf_counter() - started, 3),
        }
        summary = folder.finish(result_rows(plan, [*done, *new]), parameters, manifest)
    Console().print(sweep_table(base.scenario.name, summary, parameters))
    click.echo(visible(f"sweep written to {folder.path}"))
    failed = [result for result in new if result.error is not None]
    for result in failed:
        click.echo(visible(f"point {result.point} replication {result.replication} failed: {result.error}"), err=True)
    if failed:
        click.echo(
            visible(f"{len(failed)} task(s) failed; run again with --resume --out {folder.path} to retry them"),
            err=True,
        )
        raise SystemExit(EXIT_TASKS_FAILED)


def resumed_tasks(folder: SweepFolder, plan: SweepPlan) -> list[TaskResult]:
    """The tasks of ``plan`` already done in ``folder``; a damaged task file is warned about and its task runs again."""
    done, warnings = folder.finished()
    for warning in warnings:
        click.echo(visible(f"warning: {warning}"), err=True)
    planned = {(task.point, task.replication) for task in plan.tasks()}
    return [result for result in done if (result.point, result.replication) in planned]


def run_missing_tasks(
    plan: SweepPlan,
    folder: SweepFolder,
    done: Sequence[TaskResult],
    executor: Executor,
    console: Console,
    description: str,
) -> list[TaskResult]:
    """Run the plan's tasks not in ``done`` on ``executor``, storing each in ``folder`` as it finishes."""
    finished = {(result.point, result.replication) for result in done}
    tasks = [task for task in plan.tasks() if (task.point, task.replication) not in finished]
    new: list[TaskResult] = []
    with NotebookAwareProgress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        bar = progress.add_task(description, total=len(tasks))

        def store(result: TaskResult) -> None:
            folder.store(result)
            new.append(result)

        with closing(executor):
            run_tasks(tasks, executor, store, lambda *_: progress.advance(bar))
    return new
