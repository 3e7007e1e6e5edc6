"""Class 5, hostile or odd text and files: printed literally, refused by type and size, never quoted.

What a user wrote is shown as written (rich markup escaped, control characters as escapes);
errors name files and positions, never the content of a file that may not be a scenario; a
scenario file is checked for type and size before a byte of it is read; numbers follow YAML 1.2.
"""

from __future__ import annotations

import io
import os
import time

import pytest
from rich.console import Console

from simnet.cli import EXIT_USER_ERROR, main
from simnet.scenario.layers import MAX_FILE_BYTES
from simnet.terminal_text import literal, visible

from .conftest import TINY

REFUSAL_TIME_S = 5.0
"""Longest a refusal may take: a FIFO must not block, /dev/zero must not be read to its (absent) end."""


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("示例市 baseline", "示例市 baseline"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("red \x1b[31m", "red \\x1b[31m"),
        ("over\rwrite", "over\\x0dwrite"),
        ("c1 \x9b", "c1 \\x9b"),
        ("bidi \u202e", "bidi \\u202e"),
    ],
)
def test_visible_shows_control_characters_as_escapes(text, shown):
    """Printable text (Chinese included), newlines and tabs are kept; every other control or format
    character (ESC, CR, C1 controls, bidi overrides) becomes a visible escape."""
    assert visible(text) == shown


def test_literal_text_is_printed_by_rich_as_written():
    """rich prints ``literal`` text exactly as written, markup-like brackets included."""
    console = Console(file=io.StringIO(), width=200)
    written = "[bold]x[/] [/nothing] C:\\runs\\[a]"
    console.print(literal(written))
    assert console.file.getvalue() == written + "\n"


def _named(name: str) -> str:
    return TINY.replace("name: tiny", f"name: {name}")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ('"[bold red]boom[/] [/x]"', "[bold red]boom[/] [/x]"),
        ('"evil\\e[2J\\e]0;owned\\a"', "evil\\x1b[2J\\x1b]0;owned\\x07"),
        ('"left\\u202eright"', "left\\u202eright"),
    ],
    ids=["rich-markup", "escape-sequences", "bidi-override"],
)
def test_a_scenario_name_is_printed_literally(tmp_path, capsys, name, shown):
    """A scenario name with rich markup, terminal escape sequences or a bidi override is printed as written,
    its control characters as visible escapes; the run succeeds (exit 0) and no raw ESC reaches the terminal."""
    path = tmp_path / "named.yaml"
    path.write_text(_named(name), encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "run"), "--no-report"]) == 0
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert shown in captured.out
    assert not {"\x1b", "\x07", "\u202e"} & set(captured.out + captured.err)


def test_control_characters_in_an_error_are_made_visible(tmp_path, capsys):
    """An unknown key holding an escape sequence is reported with the escape shown, never sent raw."""
    path = tmp_path / "bad.yaml"
    path.write_text(TINY + '"\\e]0;owned\\a": 1\n', encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "\\x1b]0;owned\\x07" in err
    assert "\x1b" not in err
    assert "\x07" not in err


def test_an_extends_target_that_is_not_yaml_is_never_quoted(tmp_path, capsys):
    """An ``extends:`` naming a file that is not a scenario is reported by file and position, without
    quoting the file's content (it may be anything: a key file, a document)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2 correct horse battery staple\n", encoding="utf-8")
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: secret.txt\nname: v\n", encoding="utf-8")
    assert main(["validate", str(variant)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert f"{secret}:1:1" in err
    assert "a single text value" in err
    assert "hunter2" not in err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_scenario_that_is_not_a_regular_file_is_refused_at_once(tmp_path, capsys, kind):
    """A FIFO (which would block), /dev/zero (which never ends) or a folder is refused by type, at once."""
    if kind == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
        expected = "a named pipe (FIFO)"
    elif kind == "dev-zero":
        path, expected = "/dev/zero", "a character device"
    else:
        path, expected = tmp_path, "a folder"
    started = time.perf_counter()
    assert main(["validate", str(path)]) == EXIT_USER_ERROR
    assert time.perf_counter() - started < REFUSAL_TIME_S
    assert f"this is {expected}, not a scenario file" in capsys.readouterr().err


def test_an_oversized_scenario_is_refused_before_reading_saying_the_limit(tmp_path, capsys):
    """A scenario file over the size limit (here 20 MB, which once took minutes) is refused at once, naming
    the limit; its size is read from the file system, not by reading it."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.truncate(20_000_000)
    started = time.perf_counter()
    assert main(["validate", str(path)]) == EXIT_USER_ERROR
    assert time.perf_counter() - started < REFUSAL_TIME_S
    assert f"more than a scenario file may be ({MAX_FILE_BYTES:,} bytes)" in capsys.readouterr().err


@pytest.mark.parametrize("literal", ["0x_", "1__0", "_1", "1_", "0o", "0x", "1e", "+0x1F", "1_e5"])
def test_malformed_number_literals_are_located_errors(tmp_path, capsys, literal):
    """Number-like text that is not a YAML 1.2 number (an empty hex or octal, doubled, leading or trailing
    underscores) is text, so a numeric field reports it at its line and column (exit 2), never a traceback."""
    path = tmp_path / "numbers.yaml"
    path.write_text(TINY.replace("parcels_per_day: 400", f"parcels_per_day: {literal}"), encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert f"{path}:9:27: demand.parcels_per_day:" in err
    assert "Traceback" not in err
