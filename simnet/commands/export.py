"""``simnet export``: a run's or a sweep's results as an Excel workbook, headers in the report's language."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from simnet.commands.options import LANG_OPTION
from simnet.results.excel import write_workbook
from simnet.results.load import load_results
from simnet.terminal_text import visible


@click.command()
@click.argument("path", metavar="RUN_OR_SWEEP", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--xlsx",
    "xlsx_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Excel file to write (never an existing one).",
)
@LANG_OPTION
def export(path: Path, xlsx_file: Path, lang: Literal["en", "zh"]) -> None:
    """Write results folder RUN_OR_SWEEP as an Excel workbook (--xlsx FILE), a sheet per table.

    A run gives summary, scorecard, counties, carriers, costs and trips; a sweep gives sweep and
    summary. An existing file is never overwritten (exit 2).
    """
    written = write_workbook(load_results(path), xlsx_file, lang)
    click.echo(visible(f"workbook written to {written}"))
