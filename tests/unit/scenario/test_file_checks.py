"""Scenario files are checked before they are read, and problems found in them point at where they were named."""

import os

import pytest

from simnet.scenario import ScenarioError, load
from simnet.scenario.errors import Location

BASE = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def test_an_extends_target_that_is_a_fifo_is_refused_at_the_extends_line(tmp_path):
    """A FIFO named by ``extends`` is refused without opening it for a blocking read, located at the entry
    that named it and naming the target."""
    os.mkfifo(tmp_path / "base.yaml")
    variant = tmp_path / "variant.yaml"
    variant.write_text("name: v\nextends: base.yaml\n")
    with pytest.raises(ScenarioError) as caught:
        load(variant)
    problem = caught.value.problems[0]
    assert problem.location == Location(str(variant), 2, 10)
    assert problem.message == f"{tmp_path / 'base.yaml'}: this is a named pipe (FIFO), not a scenario file"


def test_a_file_that_is_not_utf8_is_refused_with_the_offset(tmp_path):
    """Bytes that are not UTF-8 are reported by their offset, not shown."""
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"name: \xff\xfe secret")
    with pytest.raises(ScenarioError, match="undecodable byte at offset 6") as caught:
        load(path)
    assert "secret" not in str(caught.value)


def test_zero_weights_set_by_a_variant_are_located_in_the_variant(tmp_path):
    """The village-demand rule is checked on the merged scenario: a variant zeroing its base's only weight
    is told so at its own line."""
    base = tmp_path / "base.yaml"
    base.write_text(
        BASE + "network:\n  counties:\n    - id: c\n      park: {x_km: 1, y_km: 0}\n      towns:\n"
        "        - {id: t, x_km: 2, y_km: 0, villages: [{id: v, x_km: 3, y_km: 0}]}\n"
    )
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        "extends: base.yaml\nnetwork:\n  counties:\n    - id: c\n      park: {x_km: 1, y_km: 0}\n      towns:\n"
        "        - {id: t, x_km: 2, y_km: 0, villages: [{id: v, x_km: 3, y_km: 0, demand_weight: 0}]}\n"
    )
    load(base)
    with pytest.raises(ScenarioError, match="demand_weight is 0") as caught:
        load(variant)
    assert caught.value.problems[0].location.source == str(variant)
