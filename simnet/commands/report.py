"""``simnet report``: write the self-contained HTML report of a run, a sweep, or two runs compared."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from simnet.commands.options import LANG_OPTION
from simnet.report.html import write_report
from simnet.results.table_columns import TABLE_COLUMNS
from simnet.terminal_text import visible

REPORT_NAME = "report.html"


def _check_folder(path: Path, hint: str) -> None:
    """A results folder of a run (metrics.json, every table) or a sweep (sweep.json), else a usage error."""
    if not ((path / "metrics.json").exists() or (path / "sweep.json").exists()):
        raise click.BadParameter(f"{path} is not a results folder (no metrics.json or sweep.json)", param_hint=hint)
    if (path / "metrics.json").exists():
        missing = [name for name in TABLE_COLUMNS if not (path / "tables" / f"{name}.parquet").exists()]
        if missing:
            raise click.BadParameter(
                f"{path} has no {', '.join(missing)} table(s): it was written by an older simnet or is incomplete; "
                "run its scenario again with 'simnet run'",
                param_hint=hint,
            )


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("path_b", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@LANG_OPTION
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Report file (default PATH/report.html)."
)
def report(path: Path, path_b: Path | None, lang: Literal["en", "zh"], out_file: Path | None) -> None:
    """Write the HTML report of results folder PATH (a run or a sweep), or compare runs PATH and PATH_B.

    The report opens offline and prints well; exit 2 for a missing or unreadable folder.
    """
    paths = [path] if path_b is None else [path, path_b]
    for given, hint in zip(paths, ("PATH", "PATH_B"), strict=False):
        _check_folder(given, hint)
    if path_b is not None and any((given / "sweep.json").exists() for given in paths):
        raise click.UsageError("a comparison takes two run folders, not sweeps")
    written = write_report(paths, out_file or path / REPORT_NAME, lang=lang)
    click.echo(visible(f"report written to {written}"))
