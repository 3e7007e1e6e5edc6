"""The ``simnet`` command: parses arguments, calls the library, prints. No model logic here.

``main`` is where every run of the command ends: 0 when done, 1 when a rule or task failed, 2
for a user or environment error (a message with the place and the fix), 130 for Ctrl-C and 143
for SIGTERM (what was being written is removed), 70 for a bug in simnet (one line of apology
and a crash report). Never a traceback.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Any, Literal, NoReturn

import click
from rich.console import Console

from simnet import __version__
from simnet.commands.options import LANG_OPTION
from simnet.crash import forget_output_location, note_output_location, write_crash_report
from simnet.results.output_location import describe_os_error
from simnet.terminal_text import visible

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70
"""A bug in simnet (``EX_SOFTWARE`` of sysexits.h)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT."""
EXIT_TERMINATED = 143
"""SIGTERM: 128 + SIGTERM."""

SET_HELP = "Override a value, e.g. --set hub.capacity_per_day=4e6 (repeatable; YAML syntax)."


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command runs or is listed in help.

    Commands defined here are ordinary; ``lazy`` names the others by ``module:attribute``, so
    ``simnet --help`` and ``simnet validate`` never import the engine, pandas or matplotlib.
    """

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, defined here or lazily, sorted."""
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module if it is a lazy one."""
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy[cmd_name].split(":")
        command = getattr(import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands with the first line of their help, without importing the lazy ones."""
        rows = [(name, (command.get_short_help_str(60))) for name, command in self.commands.items()]
        rows += [(name, LAZY_HELP[name]) for name in self.lazy]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


LAZY_HELP = {
    "baseline": "Release regression baselines: key metrics of the shipped scenarios, with tolerances.",
    "compare": "Compare the metrics of results folders RUN_A and RUN_B (difference = B − A).",
    "export": "Write results folder RUN_OR_SWEEP as an Excel workbook (--xlsx FILE), a sheet per table.",
    "report": "Write the HTML report of results folder PATH (a run or a sweep), or compare runs PATH and PATH_B.",
    "settle": "Settle the park's shared costs among its member carriers, by parcels and by the Shapley value.",
    "sweep": "Run SCENARIO at every sweep point; writes a table with a row per point and replication.",
}
"""One line per lazily loaded command for ``simnet --help`` (each command's own --help has the rest)."""


@click.group(
    cls=LazyGroup,
    lazy={
        "baseline": "simnet.commands.baseline:baseline",
        "compare": "simnet.commands.compare:compare",
        "export": "simnet.commands.export:export",
        "report": "simnet.commands.report:report",
        "settle": "simnet.commands.settle:settle_command",
        "sweep": "simnet.commands.sweep:sweep",
    },
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="simnet")
def cli() -> None:
    """Simulate a city's three-tier express delivery network (hub → county parks → villages)."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
def validate(files: Sequence[str], overrides: Sequence[str]) -> None:
    """Check scenario FILES; print every problem with its place. Exit 2 if any is invalid."""
    from simnet.scenario import ScenarioError, load  # noqa: PLC0415 - imported when the command runs

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
@click.option(
    "--precision",
    type=click.FloatRange(min=0, min_open=True, max=1),
    metavar="REL",
    help="Run replications (one after another, at least 10) until every key metric's 95% half-width is within "
    "REL of its mean, e.g. 0.02 (Law & Kelton's sequential procedure); prints which metric decided.",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=10),
    default=50,
    show_default=True,
    help="With --precision: stop after this many replications even if the precision is not reached.",
)
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
    precision: float | None,
    max_replications: int,
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
    from simnet.cli_progress import RunProgress, default_results_path  # noqa: PLC0415 - imported when run
    from simnet.experiment.precision import run_to_precision, stop_note  # noqa: PLC0415
    from simnet.experiment.replications import run_scenario  # noqa: PLC0415
    from simnet.machine import available_memory_bytes  # noqa: PLC0415
    from simnet.network.errors import NetworkError  # noqa: PLC0415
    from simnet.report.ahead import ReportWhenPlanned  # noqa: PLC0415
    from simnet.report.console import dry_run_table, metrics_table  # noqa: PLC0415
    from simnet.results.claim import claim_results_folder  # noqa: PLC0415
    from simnet.results.folder import REPORT_FILE, ResultsNotWrittenError, RunInfo, write_results  # noqa: PLC0415
    from simnet.run_size import check_fits, estimate_run_size, worker_count  # noqa: PLC0415
    from simnet.scenario import load  # noqa: PLC0415

    if precision is not None and replications is not None:
        raise click.BadParameter("give --replications or --precision, not both.", param_hint="--precision")
    extra = [f"replications={replications}"] if replications is not None else []
    extra += [f"replications={max_replications}"] if precision is not None else []  # sized for the most it may run
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
    with (
        claim_results_folder(target, needed_bytes=size.output_bytes, existing="replace" if force else "refuse"),
        ReportWhenPlanned(None if no_report else lang) as ahead,
    ):
        started = time.perf_counter()
        with RunProgress(Console(stderr=True), loaded.scenario) as progress:
            try:
                if precision is None:
                    result = run_scenario(
                        loaded.scenario,
                        progress=progress.day_done,
                        on_route_plan=progress.planning,
                        on_plan=ahead.start,
                        engine=engine,
                        workers=worker_count(size, workers, available_memory_bytes()),
                    )
                else:
                    precise = run_to_precision(
                        loaded.scenario,
                        precision,
                        max_replications,
                        progress=progress.day_done,
                        on_route_plan=progress.planning,
                        on_plan=ahead.start,
                        engine=engine,
                        workers=worker_count(size, workers, available_memory_bytes()),
                    )
                    result = precise.result
                    extra.append(f"replications={result.scenario.replications}")  # where it stopped: the last one wins
            except NetworkError as error:
                raise loaded.error(error.path, error.message, error.hint) from None
        info = RunInfo(
            wall_time_s=time.perf_counter() - started,
            engine=engine,
            sources=tuple(str(path) for path in loaded.files),
            overrides=(*overrides, *extra),
        )
        try:
            written = write_results(
                result, target, info, overwrite=force, report=None if no_report else lang, ahead=ahead.worker
            )
        except ResultsNotWrittenError:
            Console().print(metrics_table(loaded.scenario.name, result.summary))  # the key numbers are not lost
            raise
    Console().print(metrics_table(loaded.scenario.name, result.summary))
    if precision is not None:
        click.echo(stop_note(precise))
    click.echo(visible(f"results written to {written}"))
    if not no_report:
        click.echo(visible(f"report: {written / REPORT_FILE}"))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from simnet.scenario.schema import scenario_json_schema  # noqa: PLC0415 - imported when the command runs

    click.echo(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))


USER_ERRORS = {
    "simnet.scenario.errors": "ScenarioError",
    "simnet.results.output_location": "OutputLocationError",
    "simnet.results.load": "UnreadableResultsError",
}
"""Errors the user fixes (their message names the place and the fix), by the module that defines each."""


def _is_user_error(error: BaseException) -> bool:
    """Whether ``error`` is one the user fixes; a module not yet imported cannot have raised its error."""
    return any(
        module in sys.modules and isinstance(error, getattr(sys.modules[module], name))
        for module, name in USER_ERRORS.items()
    )


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
    forget_output_location()
    with _sigterm_as_interrupt():
        try:
            cli.main(args=args, prog_name="simnet", standalone_mode=False)
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
            if _is_user_error(error):
                click.echo(visible(str(error)), err=True)
                return EXIT_USER_ERROR
            return _apologise(error, args)
    return 0


def entry() -> NoReturn:
    """The ``simnet`` program: ``main``, then an exit that skips tearing the interpreter down.

    The exit handlers run and the output is flushed as at any exit; only freeing every object and module
    one by one is skipped (up to a second after a run's work is done), since the system takes the
    process's memory back whole.
    """
    status = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # the reader has gone (a closed pipe): nothing more can be said
            stream.flush()
    os._exit(status)


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
    entry()
