"""Options several commands share, in a module light enough for ``simnet --help``."""

from __future__ import annotations

import click

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the report's labels and text.",
)
