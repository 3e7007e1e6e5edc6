"""``simnet baseline``: rewrite the release regression baselines deliberately, or check a fresh run against them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from simnet.results.baselines import (
    DEFAULT_REPLICATIONS,
    Baseline,
    BaselineError,
    Moved,
    baseline_path,
    changed_means,
    compare,
    compute_baseline,
    read_baseline,
    rerun,
    write_baseline,
)
from simnet.terminal_text import literal, visible

SCENARIOS_DIR = Path("scenarios")
BASELINES_DIR = Path("results") / "baselines"
EXIT_MOVED = 1

SCENARIO_ARGUMENT = click.argument(
    "scenario_files", metavar="[SCENARIO]...", nargs=-1, type=click.Path(exists=True, dir_okay=False)
)


def _scenarios(given: Sequence[str]) -> list[Path]:
    if given:
        return [Path(name) for name in given]
    found = sorted(SCENARIOS_DIR.glob("*.yaml"))
    if not found:
        raise click.UsageError(f"no scenarios in {SCENARIOS_DIR}/; name the SCENARIO files")
    return found


def _number(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.6g}"


def _moved_table(title: str, rows: Sequence[Moved], beyond: Sequence[bool] | None = None) -> Table:
    """Metrics with old and new means and the tolerance; a ✗ column when ``beyond`` is given."""
    table = Table(title=literal(title), title_justify="left")
    table.add_column("metric", no_wrap=True, overflow="fold")
    for column in ("old", "new", "tolerance"):
        table.add_column(column, justify="right")
    if beyond is not None:
        table.add_column("moved", justify="center")
    for index, moved in enumerate(rows):
        cells = [moved.metric, _number(moved.old), _number(moved.new), _number(moved.tolerance)]
        if beyond is not None:
            cells.append("✗" if beyond[index] else "")
        table.add_row(*cells)
    return table


@click.group()
def baseline() -> None:
    """Release regression baselines: key metrics of the shipped scenarios, with tolerances."""


@baseline.command()
@SCENARIO_ARGUMENT
@click.option(
    "--replications",
    type=click.IntRange(min=2),
    default=DEFAULT_REPLICATIONS,
    show_default=True,
    help="Replications of each small run (at least 2, for the spread).",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    default=str(BASELINES_DIR),
    show_default=True,
    help="Folder of the baseline files.",
)
def update(scenario_files: Sequence[str], replications: int, out_dir: str) -> None:
    """Rewrite the baselines of SCENARIO files (default scenarios/*.yaml) and table what moved.

    Each scenario is shrunk to a CI-sized run (two counties, three measured days) and run with
    --replications at its own seed; each replication's values are kept for a paired check. Review
    the diff of the rewritten files before committing them.
    """
    console = Console(stderr=True)
    tables: list[Table] = []
    for path in _scenarios(scenario_files):
        target = baseline_path(out_dir, path)
        old: Baseline | None = None
        if target.exists():
            try:
                old = read_baseline(target)
            except BaselineError as error:
                click.echo(visible(f"{error}; replacing it"), err=True)
        with console.status(f"{literal(path.name)}: running {replications} small replications"):
            try:
                new = compute_baseline(path, replications)
            except BaselineError as error:
                raise click.ClickException(str(error)) from None
        write_baseline(new, target)
        if old is None:
            click.echo(visible(f"{path.name}: new baseline {target}"))
            continue
        changes = changed_means(old, new)
        beyond_count = sum(beyond for _, beyond in changes)
        click.echo(
            visible(f"{path.name}: {target} rewritten; {len(changes)} means changed, {beyond_count} beyond tolerance")
        )
        if changes:
            title = f"{path.name}: means changed since the old baseline (✗: beyond tolerance)"
            tables.append(_moved_table(title, [moved for moved, _ in changes], [beyond for _, beyond in changes]))
    for table in tables:
        Console().print(table)


@baseline.command("check")
@SCENARIO_ARGUMENT
@click.option(
    "--baseline-dir",
    type=click.Path(file_okay=False),
    default=str(BASELINES_DIR),
    show_default=True,
    help="Folder of the baseline files.",
)
def check_command(scenario_files: Sequence[str], baseline_dir: str) -> None:
    """Re-run SCENARIO files as their baselines say; exit 1 if a metric moved.

    SCENARIO defaults to scenarios/*.yaml; each is run with the overrides, replications and seed
    stored in its baseline file, and every key metric is tested on the replication-wise differences
    (a paired t-test: an unchanged model gives identical numbers and never fails).
    """
    console = Console(stderr=True)
    paths = _scenarios(scenario_files)
    try:
        stored = [(path, read_baseline(baseline_path(baseline_dir, path))) for path in paths]
    except BaselineError as error:
        raise click.ClickException(str(error)) from None
    tables: list[Table] = []
    for path, old in stored:
        with console.status(f"{literal(path.name)}: running {old.replications} small replications"):
            fresh = rerun(old, path)
        moved = compare(old, fresh)
        verdict = f"{len(moved)} moved" if moved else "none moved"
        click.echo(visible(f"{path.name}: {len(fresh.metrics)} key metrics, {verdict}"))
        if moved:
            tables.append(_moved_table(f"{path.name}: metrics moved beyond tolerance", moved))
    for table in tables:
        Console().print(table)
    if tables:
        raise SystemExit(EXIT_MOVED)
