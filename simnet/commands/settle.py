"""``simnet settle``: each park member's cost alone, in the park by parcels, and by its Shapley share of the saving."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from simnet.cli_progress import RUNS_DIR
from simnet.commands.sweep import resumed_tasks, run_missing_tasks
from simnet.crash import note_output_location
from simnet.experiment.executors import ProcessExecutor, TaskResult
from simnet.experiment.settlement import (
    ALL_COUNTIES,
    Settlement,
    check_county,
    coalition_points,
    coalition_rows,
    run_settlement_task,
    settle,
    settlement_players,
    settlement_rows,
)
from simnet.experiment.sweep import SweepPlan, plan_sweep
from simnet.forking import cores
from simnet.results.claim import claim_results_folder
from simnet.results.folder import ResultsExistError, manifest_basics
from simnet.results.settlement_folder import write_settlement
from simnet.results.sweep_folder import SweepFolder, SweepMismatchError, sweep_output_bytes, sweep_spec
from simnet.scenario import load
from simnet.terminal_text import literal, visible

SET_HELP = "Override a value of the scenario (repeatable; YAML syntax)."
EXIT_TASKS_FAILED = 1


@click.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option("--county", default=ALL_COUNTIES, metavar="ID", help="Settle this county only (default: all together).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--replications", type=int, help="Replications of each coalition (overrides the scenario's).")
@click.option("--seed", type=int, help="Root random seed, the same for every coalition (overrides the scenario's).")
@click.option("--workers", type=int, help="Local worker processes (default: one per core).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Settlement folder (default results/runs/NAME-settle-TIME).",
)
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted settlement in --out, running only what is missing."
)
def settle_command(
    scenario_file: str,
    county: str,
    overrides: Sequence[str],
    replications: int | None,
    seed: int | None,
    workers: int | None,
    out_dir: str | None,
    resume: bool,
) -> None:
    """Settle the park's shared costs among its member carriers, by parcels and by the Shapley value.

    Runs every coalition of the park's carriers (at most 8) with the same seed, and writes each
    carrier's cost per parcel alone, in the park by parcels, and by its Shapley share of the saving.
    """
    if resume and not out_dir:
        raise click.UsageError("--resume needs the --out folder of the settlement to continue")
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"seed={seed}"] if seed is not None else []
    base = load(scenario_file, [*overrides, *extra])
    players = settlement_players(base)
    check_county(base, county)
    console = Console(stderr=True)
    points = coalition_points(players)
    console.print(f"checking {len(points)} coalition(s) of {len(players)} carriers …")
    plan = plan_sweep(scenario_file, [*overrides, *extra], points)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = SweepFolder(Path(out_dir) if out_dir else RUNS_DIR / f"{Path(scenario_file).stem}-settle-{stamp}")
    note_output_location(folder.path)
    started = time.perf_counter()
    with claim_results_folder(folder.path, needed_bytes=sweep_output_bytes(plan), existing="leave"):
        try:
            folder.open({**sweep_spec(plan), "settlement": list(players)}, resume=resume)
        except (ResultsExistError, SweepMismatchError) as error:
            raise click.UsageError(f"{error}; choose another --out (or --resume the same settlement)") from None
        done = resumed_tasks(folder, plan) if resume else []
        new = _run_missing(plan, folder, done, workers, console)
        failed = [result for result in new if result.error is not None]
        if failed:
            for result in failed:
                click.echo(
                    visible(f"coalition {result.point} replication {result.replication} failed: {result.error}"),
                    err=True,
                )
            click.echo(visible(f"run again with --resume --out {folder.path} to retry them"), err=True)
            raise SystemExit(EXIT_TASKS_FAILED)
        settlement = settle(players, [*done, *new], county)
        names = {carrier.id: carrier.name for carrier in base.scenario.carriers}
        manifest = {
            **manifest_basics(plan.scenarios[0], "fast"),
            "players": list(players),
            "county": county,
            "coalitions": len(points),
            "tasks_run": len(new),
            "tasks_resumed": len(done),
            "workers": workers,
            "wall_time_s": round(time.perf_counter() - started, 3),
        }
        write_settlement(folder.path, settlement_rows(settlement, names), coalition_rows(settlement), manifest)
    Console().print(_settlement_table(base.scenario.name, settlement))
    click.echo(visible(f"settlement written to {folder.path}"))


def _run_missing(
    plan: SweepPlan, folder: SweepFolder, done: Sequence[TaskResult], workers: int | None, console: Console
) -> list[TaskResult]:
    """Run every coalition's replications not yet done, storing each as it finishes, under a progress bar."""
    executor = ProcessExecutor(workers if workers is not None else cores(), run_settlement_task)
    return run_missing_tasks(plan, folder, done, executor, console, "coalitions × replications")


def _settlement_table(name: str, settlement: Settlement) -> Table:
    """Each member's cost per parcel alone, in the park by parcels and by Shapley, and its Shapley saving."""
    everyone = (1 << len(settlement.players)) - 1
    saving = settlement.saving_cny(everyone)
    scope = f"county {settlement.county}" if settlement.county else "all counties"
    title = f"{name}, {scope}: the park saves {saving:,.0f} CNY over the window"
    caption = "CNY per parcel alone, in the park by parcels and by Shapley; the Shapley saving in CNY"
    table = Table(title=literal(title), title_justify="left", caption=caption, caption_justify="left")
    for column in ("carrier", "parcels", "alone", "by parcels", "by Shapley", "Shapley saving"):
        table.add_column(column, justify="left" if column == "carrier" else "right")
    for row in settlement_rows(settlement, {}):
        table.add_row(
            literal(row["carrier"]),
            f"{row['parcels']:,.0f}",
            f"{row['alone_cny_per_parcel']:.3f}",
            f"{row['by_parcels_cny_per_parcel']:.3f}",
            f"{row['shapley_cny_per_parcel']:.3f}",
            f"{row['shapley_saving_cny']:,.0f}",
        )
    return table
