"""Bus lines resolved on the network (planning/bus_plan.py): stops, times, paths, the serve policy, located errors."""

import numpy as np
import pytest

from simnet.network.errors import NetworkError
from simnet.planning import build_plan, default_planner
from simnet.scenario import ScenarioError, scenario_from_text

CITY = """
name: bus
horizon_days: 1
replications: 1
demand: {parcels_per_day: 2000, rural_share: 0.5}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
parks: {consolidated_carriers: [zto, yto], consolidated_share: null}
"""

TRANSFER = (
    "bus_lines={lines: [{id: a, stops: [c01, c01-t01, c01-t01-v01], departures_h: [7], travel_h: [0.5, 0.25]},"
    " {id: b, stops: [c01-t01, c01-t01-v02, c01-t01-v03], departures_h: [8], travel_h: [0.3, 0.2]}]}"
)


def plan_of(*overrides):
    return build_plan(scenario_from_text(CITY, "bus.yaml", list(overrides)), default_planner())


def village(plan, site_id):
    """Index of a village in the network's villages."""
    return int(np.flatnonzero(plan.network.villages == plan.network.site_ids.index(site_id))[0])


def test_a_feeder_line_is_reached_by_a_transfer_and_pickups_ride_back_the_reverse_way():
    """v02 lies on line b only, which starts at t01: parcels ride a to t01 (position 1), change to b there
    (position 0) and leave it at v02 (position 1); pickups ride b back to t01, then a back to the park."""
    plan = plan_of(TRANSFER)
    bus = plan.bus
    v01, v02 = village(plan, "c01-t01-v01"), village(plan, "c01-t01-v02")
    assert bus.down.first[v01] == 0
    assert bus.down.next_line[v01, 0] == -1
    assert bus.down.alight[v01, 0] == 2
    assert bus.down.first[v02] == 0
    assert bus.down.alight[v02, 0] == 1
    assert bus.down.next_line[v02, 0] == 1
    assert (bus.down.board[v02, 1], bus.down.alight[v02, 1], bus.down.next_line[v02, 1]) == (0, 1, -1)
    assert bus.up.first[v02] == 1
    assert bus.up.next_line[v02, 1] == 0
    assert bus.up.next_line[v02, 0] == -1
    assert (bus.up.board[v02, 0], bus.up.alight[v02, 0]) == (1, 0)
    # line a: out 0, 0.5, 0.75 h; back at the last stop at once, t01 0.25 h later, the park at 1.5 h
    assert plan.bus.lines[0].outward_h(7.0).tolist() == pytest.approx([7.0, 7.5, 7.75])
    assert plan.bus.lines[0].return_h(7.0).tolist() == pytest.approx([8.5, 8.0, 7.75])
    # only the park's members ride: zto (0) and yto (1), not yunda (2); villages not on a line do not
    assert plan.flows.bus_line[v02, 0] == 0
    assert plan.flows.bus_line[v02, 2] == -1
    off_line = village(plan, "c01-t02-v01")
    assert (plan.flows.bus_line[off_line] == -1).all()
    assert (plan.flows.pickup_bus_line[off_line] == -1).all()


def test_town_lines_call_at_park_town_and_its_villages_nearest_first():
    """One line per town: its park, the town, then each next village the nearest one not yet visited."""
    plan = plan_of("bus_lines={town_lines: {departures_h: [7]}}")
    network = plan.network
    assert len(plan.bus.lines) == len(network.towns)
    for line in plan.bus.lines:
        park, town, *villages = line.sites.tolist()
        assert park == network.parks[line.county]
        assert network.site_kind[town] == 2
        assert sorted(villages) == sorted(network.villages[network.town_of_site[network.villages] == town].tolist())
        here = town
        for index, site in enumerate(villages):
            rest = villages[index:]
            gaps = np.hypot(network.x_km[rest] - network.x_km[here], network.y_km[rest] - network.y_km[here])
            assert gaps[0] == gaps.min()
            here = site
        assert (np.diff(line.offset_h) > 0).all()
    assert plan.bus.served.all()


def test_beyond_km_serves_only_villages_far_from_their_park():
    """The beyond-distance policy keeps the villages within the distance on the vans."""
    plan = plan_of("bus_lines={town_lines: {}, serve: {kind: beyond_km, distance_km: 15}}")
    assert 0 < plan.bus.served.sum() < len(plan.network.villages)


def test_without_bus_lines_nothing_rides():
    """No bus_lines: no bus plan and every flows entry for buses is -1."""
    plan = plan_of()
    assert plan.bus is None
    assert (plan.flows.bus_line == -1).all()
    assert (plan.flows.pickup_bus_line == -1).all()


SCENARIO_ERRORS = {
    "departures not increasing": (
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01], departures_h: [9, 8]}]}",
        ("bus_lines", "lines", 0, "departures_h", 1),
        "departure times must increase",
    ),
    "travel times not matching the stops": (
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01, c01-t01-v01], departures_h: [9], travel_h: [0.5]}]}",
        ("bus_lines", "lines", 0, "travel_h"),
        "travel_h has 1 values but the line has 3 stops",
    ),
    "a stop twice": (
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01, c01], departures_h: [9]}]}",
        ("bus_lines", "lines", 0, "stops", 2),
        "listed twice",
    ),
    "no lines": ("bus_lines={}", ("bus_lines", "lines"), "has no lines"),
}


@pytest.mark.parametrize(("override", "path", "message"), SCENARIO_ERRORS.values(), ids=SCENARIO_ERRORS.keys())
def test_scenario_errors_name_the_field(override, path, message):
    """Rules of one line are checked with the scenario and located at the field to fix."""
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(CITY, "bus.yaml", [override])
    (problem,) = caught.value.problems
    assert problem.path == path
    assert message in problem.message


NETWORK_ERRORS = {
    "unknown stop": (
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01, c01-t01-v1], departures_h: [9]}]}",
        ("bus_lines", "lines", 0, "stops", 2),
        "did you mean 'c01-t01-v01'?",
    ),
    "a stop in another county": (
        "bus_lines={lines: [{id: a, stops: [c01, c02-t01], departures_h: [9]}]}",
        ("bus_lines", "lines", 0, "stops", 1),
        "keep a line inside one county",
    ),
    "a line no line reaches": (
        "bus_lines={lines: [{id: a, stops: [c01-t01, c01-t01-v02], departures_h: [9]}]}",
        ("bus_lines", "lines", 0, "stops", 0),
        "start the line at its park",
    ),
    "a listed village on no line": (
        "bus_lines={lines: [{id: a, stops: [c01, c01-t01-v01], departures_h: [9]}],"
        " serve: {kind: listed, villages: [c01-t01-v01, c01-t01-v02]}}",
        ("bus_lines", "serve", "villages", 1),
        "add it to the stops of a line",
    ),
}


@pytest.mark.parametrize(("override", "path", "hint"), NETWORK_ERRORS.values(), ids=NETWORK_ERRORS.keys())
def test_network_errors_name_the_field_and_the_fix(override, path, hint):
    """What needs the network (stop ids, counties, reachability, served villages) fails at the field, with a fix."""
    with pytest.raises(NetworkError) as caught:
        plan_of(override)
    assert caught.value.path == path
    assert hint in caught.value.hint
