"""Tests of the ``simnet`` command line (``simnet.cli``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from simnet.cli import EXIT_USER_ERROR, LAZY_HELP, cli
from simnet.scenario import resolved_yaml, scenario_from_text
from tests.small_city import run_cli as run

VALID = "name: my city\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"
INVALID = "name: x\ndemand: {parcels_per_day: 1000}\nhub:\n  capcity_per_day: 5000\n"
"""Invalid: the misspelt key sits at line 4, column 3."""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` to ``folder/name`` and return the path."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_validate_valid_file_exits_0_and_says_valid(tmp_path, capsys):
    """``validate`` of a valid file exits 0 and prints that it is valid, with the scenario's name."""
    path = write(tmp_path, "ok.yaml", VALID)
    status, out, err = run(capsys, "validate", str(path))
    assert status == 0
    assert f"{path}: valid" in out
    assert "my city" in out
    assert err == ""


def test_validate_invalid_file_exits_2_with_located_message(tmp_path, capsys):
    """``validate`` of an invalid file exits 2 and prints the located problem on stderr, no traceback."""
    path = write(tmp_path, "bad.yaml", INVALID)
    status, out, err = run(capsys, "validate", str(path))
    assert status == EXIT_USER_ERROR == 2
    assert f"{path}:4:3: hub.capcity_per_day: unknown key 'capcity_per_day'" in err
    assert "did you mean 'capacity_per_day'?" in err
    assert "valid (" not in out
    assert "Traceback" not in out + err


def test_validate_several_files_one_bad_exits_2(tmp_path, capsys):
    """With several files, each is checked; one invalid file makes the exit status 2."""
    good = write(tmp_path, "good.yaml", VALID)
    bad = write(tmp_path, "bad.yaml", INVALID)
    other = write(tmp_path, "other.yaml", VALID)
    status, out, err = run(capsys, "validate", str(good), str(bad), str(other))
    assert status == 2
    assert f"{good}: valid" in out
    assert f"{other}: valid" in out
    assert f"{bad}:4:3" in err
    assert str(good) not in err


def test_validate_several_valid_files_exits_0(tmp_path, capsys):
    """With several valid files, the exit status is 0 and each is reported valid."""
    paths = [write(tmp_path, f"s{i}.yaml", VALID) for i in range(3)]
    status, out, _ = run(capsys, "validate", *map(str, paths))
    assert status == 0
    assert out.count(": valid") == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\xff", "UTF-8"),
        ("name: [x\n", "not valid YAML"),
        ("", "empty"),
        ("- a\n- b\n", "mapping"),
    ],
    ids=["binary", "broken", "empty", "list"],
)
def test_validate_non_scenario_files_exit_2_without_traceback(tmp_path, capsys, content, expected):
    """Binary, broken, empty and non-mapping files exit 2 with a message naming the file, no traceback."""
    path = write(tmp_path, "s.yaml", content)
    status, out, err = run(capsys, "validate", str(path))
    assert status == 2
    assert expected in err
    assert str(path) in err
    assert "Traceback" not in out + err


def test_validate_missing_file_exits_2(tmp_path, capsys):
    """A file that does not exist exits 2 with 'no such file'."""
    status, _, err = run(capsys, "validate", str(tmp_path / "nowhere.yaml"))
    assert status == 2
    assert "no such file" in err


def test_validate_with_set_override(tmp_path, capsys):
    """``--set`` overrides reach validation; a bad one is reported at the ``--set`` argument."""
    path = write(tmp_path, "ok.yaml", VALID)
    assert run(capsys, "validate", str(path), "--set", "hub.capacity_per_day=4e6")[0] == 0
    status, _, err = run(capsys, "validate", str(path), "--set", "hub.capacity_per_day=0")
    assert status == 2
    assert "--set hub.capacity_per_day=0: hub.capacity_per_day:" in err


def test_validate_without_files_is_a_usage_error(capsys):
    """``validate`` with no file is a usage error with exit status 2 and no traceback."""
    status, out, err = run(capsys, "validate")
    assert status == 2
    assert "Traceback" not in out + err
    assert "FILES" in err


def test_unknown_command_is_a_usage_error(capsys):
    """An unknown command exits 2 without a traceback."""
    status, out, err = run(capsys, "frobnicate")
    assert status == 2
    assert "Traceback" not in out + err


def test_help_and_version_exit_0(capsys):
    """``--help`` and ``--version`` exit 0 and print to stdout."""
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "validate" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert "simnet" in out


def test_schema_prints_json_with_extends(capsys):
    """``schema`` prints a JSON document whose properties include ``extends`` and the scenario sections."""
    status, out, _ = run(capsys, "schema")
    assert status == 0
    schema = json.loads(out)
    assert "extends" in schema["properties"]
    assert {"name", "demand", "hub", "carriers"} <= set(schema["properties"])


def test_schema_validates_resolved_dumps(capsys):
    """The printed schema is a valid JSON Schema, accepts resolved scenarios and rejects unknown keys."""
    jsonschema = pytest.importorskip("jsonschema")
    status, out, _ = run(capsys, "schema")
    assert status == 0
    schema = json.loads(out)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    scenarios = [
        VALID,
        VALID.replace("5000}", "5000, shifts: [{start_h: '06:30', end_h: 18}]}"),
        VALID + "parks: {consolidated_carriers: [zto], consolidated_share: null}\n",
    ]
    for text in scenarios:
        document = yaml.safe_load(resolved_yaml(scenario_from_text(text)))
        errors = [error.message for error in validator.iter_errors(document)]
        assert errors == [], text
    assert list(validator.iter_errors({"nmae": "x"}))
    assert not list(validator.iter_errors({"extends": "base.yaml", "seed": 3}))


def test_console_script_exits_2_without_traceback_for_non_yaml(tmp_path):
    """``python -m simnet validate`` on a non-YAML file exits 2 with the message and no traceback."""
    path = write(tmp_path, "s.yaml", "name: x\nhub:\n\tcapacity_per_day: 5\n")
    result = subprocess.run(
        [sys.executable, "-m", "simnet", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert f"{path}:3:1: not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_of_lazy_commands_is_their_own():
    """simnet --help lists each lazily imported command with the first line of that command's own help."""
    context = click.Context(cli)
    for name, line in LAZY_HELP.items():
        assert (cli.get_command(context, name).help or "").splitlines()[0] == line


def test_help_imports_no_engine():
    """simnet --help (in a fresh process) imports neither the engine nor pandas nor matplotlib."""
    probe = (
        "import sys; from simnet.cli import main; main(['--help']);"
        "print(sorted(m for m in ('simnet.engine.model', 'pandas', 'matplotlib') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"
