"""The ``simnet`` command: parses arguments, calls the library, prints. No model logic here."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from simnet import __version__
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
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    click.echo(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))


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
