"""The ``simnet`` command: parses arguments, calls the library, prints. No model logic here."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import click
from rich.console import Console

from simnet import __version__
from simnet.cli_progress import RunProgress, default_results_path
from simnet.commands.baseline import baseline
from simnet.commands.compare import compare
from simnet.commands.report import LANG_OPTION, report
from simnet.commands.sweep import sweep
from simnet.experiment.replications import run_scenario
from simnet.network.errors import NetworkError
from simnet.report.console import metrics_table
from simnet.results.folder import RunInfo, write_results
from simnet.scenario import ScenarioError, load
from simnet.scenario.schema import scenario_json_schema

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130

SET_HELP = "Override a value, e.g. --set hub.capacity_per_day=4e6 (repeatable; YAML syntax)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="simnet")
def cli() -> None:
    """Simulate a city's three-tier express delivery network (hub → county parks → villages)."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
def validate(files: Sequence[str], overrides: Sequence[str]) -> None:
    """Check scenario FILES; print every problem with its place. Exit 2 if any is invalid."""
    invalid = 0
    for file in files:
        try:
            loaded = load(file, overrides)
        except ScenarioError as error:
            invalid += 1
            click.echo(f"{file}: {error}", err=True)
            continue
        click.echo(f"{file}: valid ({loaded.scenario.name})")
    if invalid:
        raise SystemExit(EXIT_USER_ERROR)


@cli.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), help="Results folder (default results/runs/NAME-TIME)."
)
@click.option("--replications", type=int, help="Number of replications (overrides the scenario's).")
@click.option("--seed", type=int, help="Root random seed (overrides the scenario's).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--force", is_flag=True, help="Replace the results folder if it exists.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "reference"]),
    default="fast",
    show_default=True,
    help="The vectorised engine, or the per-parcel reference engine it is checked against.",
)
@LANG_OPTION
def run(
    scenario_file: str,
    out_dir: str | None,
    replications: int | None,
    seed: int | None,
    overrides: Sequence[str],
    force: bool,
    engine: Literal["fast", "reference"],
    lang: Literal["en", "zh"],
) -> None:
    """Simulate SCENARIO and write its results folder (with report.html); prints the key metrics."""
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"seed={seed}"] if seed is not None else []
    loaded = load(scenario_file, [*overrides, *extra])
    target = Path(out_dir) if out_dir else default_results_path(scenario_file)
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists already; choose another --out or add --force")
    console = Console(stderr=True)
    started = time.perf_counter()
    with RunProgress(console, loaded.scenario) as progress:
        try:
            result = run_scenario(
                loaded.scenario, progress=progress.day_done, on_route_plan=progress.planning, engine=engine
            )
        except NetworkError as error:
            raise loaded.error(error.path, error.message, error.hint) from None
    info = RunInfo(
        wall_time_s=time.perf_counter() - started,
        engine=engine,
        sources=tuple(str(path) for path in loaded.files),
        overrides=(*overrides, *extra),
    )
    written = write_results(result, target, info, overwrite=force, report=lang)
    Console().print(metrics_table(loaded.scenario.name, result.summary))
    click.echo(f"results written to {written}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    click.echo(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))


cli.add_command(report)
cli.add_command(baseline)
cli.add_command(compare)
cli.add_command(sweep)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; user errors end with a message and exit status 2, never a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="simnet", standalone_mode=False)
    except ScenarioError as error:
        click.echo(str(error), err=True)
        return EXIT_USER_ERROR
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        error.show()
        return EXIT_USER_ERROR
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
