"""Property test of whole runs: any small valid scenario ends in its results folder, or a located error.

Hypothesis draws scenarios across the schema's ranges (all carriers in the park or none, no rural
parcels or only rural ones, a sample of 0, two-leg last mile, peak days, listed villages that
may all weigh 0, cities wider than a van's range) and runs each through ``simnet run`` in-process.
Every one must exit 0 with a whole results folder, or exit 2 with a message located in the file
and no folder; never a traceback, a crash report or a half-written folder.

Runs use one process (``--workers 1``): forking a pool of workers for a run this small took most of an
example's time, and that the results are the same in workers is proven by
``tests/unit/experiment/test_replications.py::test_two_workers_equal_one`` and the sweep's worker tests.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simnet.cli import EXIT_USER_ERROR, main

EXAMPLES = 200
"""Scenarios per test run: the issue's floor, which takes about 40 s on the 2-core development machine."""

SHARE_SPLITS = ((1.0,), (0.6, 0.4), (0.5, 0.3, 0.2))
"""Carrier shares: one carrier, two, three. Numbers are drawn from a few values each, the ends of their
ranges and a typical one, so that runs repeat route plans (read from the cache) and 200 fit in a minute."""

CARRIER_IDS = ("a", "b", "c")
LOCATED = re.compile(r"\S+\.yaml:[0-9]+:[0-9]+: ")
"""A problem's place: the scenario file, a line and a column."""

RUN_FILES = {"scenario.yaml", "manifest.json", "metrics.json", "tables"}

share = st.sampled_from([0.0, 0.3, 1.0])


@st.composite
def carriers(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One to three carriers whose shares sum to 1."""
    split = draw(st.sampled_from(SHARE_SPLITS))
    return [{"id": CARRIER_IDS[index], "name": f"Carrier {index}", "share": value} for index, value in enumerate(split)]


@st.composite
def networks(draw: st.DrawFn) -> dict[str, Any]:
    """A generated city of one county, or a listed one whose villages may all weigh 0."""
    if draw(st.booleans()):
        return {
            "generate": {
                "counties": 1,
                "towns_per_county": draw(st.integers(1, 2)),
                "villages_per_town": draw(st.integers(1, 2)),
                "radius_km": draw(st.sampled_from([0.5, 20.0, 60.0, 2000.0])),
                "county_radius_km": draw(st.sampled_from([0.1, 5.0, 25.0, 500.0])),
                "town_radius_km": draw(st.sampled_from([0.1, 6.0, 200.0])),
                "village_weight_cv": draw(st.sampled_from([0.0, 0.5, 5.0])),
                "seed": draw(st.sampled_from([0, 1, 2**63 - 1])),
            }
        }
    weights = draw(st.lists(st.sampled_from([0.0, 1.0, 3.0]), min_size=1, max_size=2))
    villages = [
        {"id": f"v{index}", "x_km": 12.0 + index, "y_km": 1.0, "demand_weight": weight}
        for index, weight in enumerate(weights)
    ]
    town = {"id": "t0", "x_km": 11.0, "y_km": 0.0, "villages": villages}
    return {"counties": [{"id": "c0", "park": {"x_km": 10.0, "y_km": 0.0}, "towns": [town]}]}


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario valid by the schema, varied in every section a run depends on."""
    horizon = draw(st.integers(1, 2))
    chosen = draw(carriers())
    multiplier = st.sampled_from([0.1, 1.9, 20.0])
    peak = draw(st.lists(st.fixed_dictionaries({"day": st.integers(1, horizon), "multiplier": multiplier}),
                         max_size=1))  # fmt: skip
    if draw(st.booleans()):
        hub: dict[str, Any] = {"capacity_per_day": draw(st.sampled_from([1, 150, 5_000]))}
    else:
        hub = {"sorting_lines": draw(st.integers(1, 3)), "line_rate_per_h": draw(st.sampled_from([1.0, 500.0]))}
    if draw(st.booleans()):
        parks: dict[str, Any] = {"consolidated_share": draw(share)}
    else:
        members = draw(st.lists(st.sampled_from([c["id"] for c in chosen]), unique=True))
        parks = {"consolidated_share": None, "consolidated_carriers": members}
    parks["outside_carriers_deliver_to"] = draw(st.sampled_from(["village", "town_station"]))
    return {
        "name": draw(st.text(min_size=1, max_size=12)),
        "seed": draw(st.integers(0, 2**63 - 1)),
        "horizon_days": horizon,
        "warmup_days": draw(st.integers(0, 1)),
        "drain_days": draw(st.integers(0, 1)),
        "replications": draw(st.sampled_from([1, 1, 2])),
        "carriers": chosen,
        "demand": {
            "parcels_per_day": draw(st.sampled_from([1, 40, 300])),
            "rural_share": draw(share),
            "daily_volume_cv": draw(share),
            "peak_days": peak,
            "pickups_per_village_per_day": draw(st.sampled_from([0.0, 0.5, 3.0, 20.0])),
        },
        "network": draw(networks()),
        "hub": hub,
        "parks": parks,
        "service": {
            "deliveries_per_week": draw(st.integers(1, 7)),
            "last_mile": draw(st.sampled_from(["direct", "two_leg"])),
            "start_weekday": draw(st.sampled_from(["mon", "thu", "sun"])),
            "stop_time_h": draw(st.sampled_from([0.0, 0.15, 5.0])),
        },
        "output": {"parcel_sample_size": draw(st.sampled_from([0, 1, 50]))},
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=scenarios())
def test_any_small_valid_scenario_runs_or_is_a_located_error(tmp_path_factory, document):
    """A run of any small scenario exits 0 with a whole results folder, or exits 2 with a located message and
    no folder; nothing else (no traceback, no crash report, no leftover) ever happens."""
    folder = tmp_path_factory.mktemp("e2e")
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "run"
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = main(["run", str(path), "--out", str(out), "--no-report", "--workers", "1"])
    err = stderr.getvalue()
    event(f"exit {status}")
    crash_reports = "".join(report.read_text() for report in Path(folder).glob("simnet-crash-*.txt"))
    assert "Traceback" not in err
    assert status in (0, EXIT_USER_ERROR), err + crash_reports
    if status == 0:
        assert {entry.name for entry in out.iterdir()} >= RUN_FILES
    else:
        assert LOCATED.search(err), err
        assert not out.exists()
    assert {entry.name for entry in Path(folder).iterdir()} <= {"scenario.yaml", "run"}
