"""The ``simnet`` command: parses arguments, calls the library, prints. No model logic here.

``main`` is where every run of the command ends: 0 when done, 1 when a rule or task failed, 2
for a user or environment error (a message with the place and the fix), 130 for Ctrl-C and 143
for SIGTERM (what was being written is removed), 70 for a bug in simnet (one line of apology
and a crash report). Never a traceback.
"""

from __future__ import annotations

import io
import json
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Literal

import click
from rich.console import Console

from simnet import __version__
from simnet.cli_progress import RunProgress, default_results_path
from simnet.commands.baseline import baseline
from simnet.commands.compare import compare
from simnet.commands.report import LANG_OPTION, report
from simnet.commands.sweep import sweep
from simnet.crash import note_output_location, write_crash_report
from simnet.experiment.replications import run_scenario
from simnet.machine import available_memory_bytes
from simnet.network.errors import NetworkError
from simnet.report.console import dry_run_table, metrics_table
from simnet.results.claim import claim_results_folder
from simnet.results.folder import ResultsNotWrittenError, RunInfo, write_results
from simnet.results.load import UnreadableResultsError
from simnet.results.output_location import OutputLocationError, describe_os_error
from simnet.run_size import check_fits, estimate_run_size, worker_count
from simnet.scenario import ScenarioError, load
from simnet.scenario.schema import scenario_json_schema
from simnet.terminal_text import visible

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70
"""A bug in simnet (``EX_SOFTWARE`` of sysexits.h)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT."""
EXIT_TERMINATED = 143
"""SIGTERM: 128 + SIGTERM."""

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
            click.echo(visible(f"{file}: {error}"), err=True)
            continue
        click.echo(visible(f"{file}: valid ({loaded.scenario.name})"))
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
@click.option("--force", is_flag=True, help="Replace the results folder if it exists (only one simnet wrote).")
@click.option("--dry-run", is_flag=True, help="Print the run's estimated size and plan; simulate and write nothing.")
@click.option(
    "--no-size-check", is_flag=True, help="Run even when the estimated memory exceeds what the machine has free."
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "reference"]),
    default="fast",
    show_default=True,
    help="The vectorised engine, or the per-parcel reference engine it is checked against.",
)
@click.option("--no-report", is_flag=True, help="Skip report.html (write it later with 'simnet report FOLDER').")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Replications run at once in worker processes (default: one per core, as memory allows); "
    "results are the same whatever the number.",
)
@LANG_OPTION
def run(
    scenario_file: str,
    out_dir: str | None,
    replications: int | None,
    seed: int | None,
    overrides: Sequence[str],
    force: bool,
    dry_run: bool,
    no_size_check: bool,
    engine: Literal["fast", "reference"],
    no_report: bool,
    workers: int | None,
    lang: Literal["en", "zh"],
) -> None:
    """Simulate SCENARIO and write its results folder (with report.html); prints the key metrics.

    Before simulating, the run's memory is estimated (refused if it cannot fit) and its results
    folder claimed: its parent writable with room, no other run writing it, an existing one
    replaced only with --force and only if simnet wrote it.
    """
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"seed={seed}"] if seed is not None else []
    loaded = load(scenario_file, [*overrides, *extra])
    target = Path(out_dir) if out_dir else default_results_path(scenario_file)
    size = estimate_run_size(loaded.scenario, engine)
    if dry_run:
        Console().print(dry_run_table(f"{loaded.scenario.name}: dry run", size, available_memory_bytes(), target))
        return
    if not no_size_check:
        check_fits(size, loaded, available_memory_bytes())
    note_output_location(target)
    with claim_results_folder(target, needed_bytes=size.output_bytes, existing="replace" if force else "refuse"):
        started = time.perf_counter()
        with RunProgress(Console(stderr=True), loaded.scenario) as progress:
            try:
                result = run_scenario(
                    loaded.scenario,
                    progress=progress.day_done,
                    on_route_plan=progress.planning,
                    engine=engine,
                    workers=worker_count(size, workers, available_memory_bytes()),
                )
            except NetworkError as error:
                raise loaded.error(error.path, error.message, error.hint) from None
        info = RunInfo(
            wall_time_s=time.perf_counter() - started,
            engine=engine,
            sources=tuple(str(path) for path in loaded.files),
            overrides=(*overrides, *extra),
        )
        try:
            written = write_results(result, target, info, overwrite=force, report=None if no_report else lang)
        except ResultsNotWrittenError:
            Console().print(metrics_table(loaded.scenario.name, result.summary))  # the key numbers are not lost
            raise
    Console().print(metrics_table(loaded.scenario.name, result.summary))
    click.echo(visible(f"results written to {written}"))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    click.echo(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))


cli.add_command(report)
cli.add_command(baseline)
cli.add_command(compare)
cli.add_command(sweep)


USER_ERRORS = (ScenarioError, OutputLocationError, UnreadableResultsError)
"""Errors the user fixes: their message names the place and the fix."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: what was being written is removed on the way out."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into ``Terminated`` for the block (in the main thread, where signals arrive)."""
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
        installed = True
    except ValueError:  # not the main thread: leave signals alone
        installed = False
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit status; every error ends in a message, never a traceback.

    User and environment errors (exit 2) say what and where and how to fix it; Ctrl-C (130) and
    SIGTERM (143) say so; anything else is a bug in simnet: one line of apology and the path of a
    crash report with the traceback (exit 70).
    """
    args = list(argv) if argv is not None else sys.argv[1:]
    with _sigterm_as_interrupt():
        try:
            cli.main(args=args, prog_name="simnet", standalone_mode=False)
        except USER_ERRORS as error:
            click.echo(visible(str(error)), err=True)
            return EXIT_USER_ERROR
        except click.ClickException as error:
            _show_click_error(error)
            return EXIT_USER_ERROR
        except (click.exceptions.Abort, KeyboardInterrupt) as error:
            terminated = isinstance(error, Terminated) or isinstance(error.__context__, Terminated)
            click.echo("terminated" if terminated else "interrupted", err=True)
            return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 0
        except MemoryError:
            click.echo(
                "simnet ran out of memory; make the run smaller (fewer parcels, villages, replications or sample "
                "rows; 'simnet run --dry-run' estimates the memory a run needs)",
                err=True,
            )
            return EXIT_USER_ERROR
        except OSError as error:  # the environment: a file, a folder or a drive failed
            click.echo(
                visible(f"simnet: {describe_os_error(error)}; check the path, its permissions and free space"), err=True
            )
            return EXIT_USER_ERROR
        except Exception as error:
            return _apologise(error, args)
    return 0


def _show_click_error(error: click.ClickException) -> None:
    """Click's own message (usage line and hint), with control characters shown, not obeyed."""
    shown = io.StringIO()
    error.show(file=shown)
    click.echo(visible(shown.getvalue()), err=True, nl=False)


def _apologise(error: Exception, args: Sequence[str]) -> int:
    """A bug: one line of apology naming the crash report written for the developers."""
    report_path = write_crash_report(error, args)
    where = f"a crash report is in {report_path}" if report_path else "no crash report could be written"
    click.echo(
        visible(
            f"simnet failed with an internal error ({type(error).__name__}), a bug in simnet, sorry; {where}; "
            "please send it to the simnet developers"
        ),
        err=True,
    )
    return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
