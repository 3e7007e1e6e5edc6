"""Shippers' parcels (快递进厂) by hand: a dedicated van, the trunk's backhaul and line-haul, parcel by parcel.

The city: one county of one town; the hub's only cut-off is 02:00, line-haul leaves at 07:00. A
shipper at the town has its parcels ready 08:00–18:00 and a dedicated van leaving the park at
18:00. So a parcel ready on day d is fetched at 18 + t (t: the van's one-way time), is at the park
at 18 + 2t, rides back on the truck that left the hub at 02:00 on day d + 1 and unloaded at the park
at 26 + T (T: the trunk's one-way time), reaches the hub at 26 + 2T and leaves on the first 07:00
departure after that: 24d + 31 when 2T ≤ 5 h. The rule is in ``engine/factories.py``.
"""

import math

import pytest

from simnet.engine.metrics import replication_metrics, replication_tables
from simnet.engine.model import run_replication
from simnet.engine.reference import ReferenceModel
from simnet.network.errors import NetworkError
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text

CITY = """
name: factories
seed: 4
horizon_days: 3
warmup_days: 1
drain_days: 2
replications: 1
demand: {parcels_per_day: 4000, rural_share: 0.1, pickups_per_village_per_day: 0}
network:
  counties:
    - id: c
      park: {x_km: 0, y_km: 30}
      towns:
        - {id: t, x_km: 8, y_km: 36, villages: [{id: v1, x_km: 10, y_km: 38}, {id: v2, x_km: 6, y_km: 40}]}
hub: {capacity_per_day: 20000, dispatch_cutoffs_h: [2], line_haul_departures_h: [7]}
shippers:
  - {id: plant, at: t, parcels_per_day: 60, collected_by: dedicated_van, van_departures_h: [18]}
"""


def _run(*overrides: str):
    plan = build_plan(scenario_from_text(CITY, "factories.yaml", overrides), default_planner())
    reference = ReferenceModel(plan, 0)
    return plan, reference, reference.run(), run_replication(plan, 0).outcome()


def test_each_parcel_leaves_on_the_departure_worked_out_by_hand():
    """Every parcel ready in the window leaves at 24·d + 31 (d its day), in the reference engine; the fast
    engine's mean time and counts are the same, and its van cost is one round trip a day."""
    plan, reference, slow, fast = _run()
    (shipper,) = plan.shippers
    trunk_h = float(plan.trunk_time_h[0])
    assert 18 + 2 * shipper.van_time_h < 24 + 2 + trunk_h  # the van is back before the truck unloads
    assert 2 * trunk_h <= 5  # the truck is back at the hub by 07:00
    stats = slow.stats
    measured = [p for p in reference.shippers.parcels if stats.window_start_h <= p.appear_h < stats.window_end_h]
    assert len(measured) > 100  # 60 a day × 3 measured days = 180 expected: every day's departures checked
    for parcel in measured:
        day = math.floor(parcel.appear_h / 24)
        assert parcel.finished_h == pytest.approx(24 * day + 31)
    expected_mean_h = sum(p.finished_h - p.appear_h for p in measured) / len(measured)
    metrics = replication_metrics(fast)
    assert metrics["factory_parcels_in"] == len(measured)
    assert metrics["factory_time_h_mean"] == pytest.approx(expected_mean_h)
    (row,) = replication_tables(fast)["shippers"]
    assert row["departed"] == len(measured)
    van = shipper.van
    assert van is not None
    assert row["van_cost_cny"] > 0
    assert metrics["factory_cost_per_parcel_cny"] == pytest.approx(row["van_cost_cny"] / len(measured))


def test_a_trunk_return_shipper_at_the_county_seat_waits_only_for_the_truck():
    """At the county seat, a parcel ready on day d rides the 02:00 truck of day d + 1 without a van: the same
    departure 24·d + 31, no van cost, and the backhaul carries every parcel."""
    _, reference, slow, fast = _run("shippers=[{id: plant, at: c, parcels_per_day: 60, collected_by: trunk_return}]")
    stats = slow.stats
    measured = [p for p in reference.shippers.parcels if stats.window_start_h <= p.appear_h < stats.window_end_h]
    assert all(p.finished_h == pytest.approx(24 * math.floor(p.appear_h / 24) + 31) for p in measured)
    metrics = replication_metrics(fast)
    assert metrics["factory_cost_per_parcel_cny"] == 0
    assert 0 < metrics["trunk_return_use"] < 1


def test_a_full_van_leaves_the_rest_for_the_next_day():
    """A van of 20 parcels against about 60 a day: each day it takes the 20 oldest, so parcels wait longer
    on average and some are still waiting at the end."""
    _, _, _, roomy = _run()
    _, reference, _, full = _run("vehicle_types.diesel_van.capacity_parcels=20")
    assert replication_metrics(full)["factory_time_h_mean"] > replication_metrics(roomy)["factory_time_h_mean"]
    assert any(p.finished_h == math.inf for p in reference.shippers.parcels)


def test_a_trunk_return_shipper_must_be_at_a_county_seat():
    """No trunk truck comes to a town: the plan refuses it where it is written."""
    scenario = scenario_from_text(
        CITY, "f.yaml", ["shippers.0.collected_by=trunk_return", "shippers.0.van_departures_h=null"]
    )
    with pytest.raises(NetworkError, match="no trunk truck comes") as excinfo:
        build_plan(scenario, default_planner())
    assert excinfo.value.path == ("shippers", 0, "collected_by")


PARK_VANS = (
    "shippers=[{id: plant, at: t, parcels_per_day: 60, collected_by: park_vans}]",
    "parks.consolidated_share=1",
    "demand.rural_share=0.02",
    "service.deliveries_per_week=7",
    "parks.dispatch_waves_h=[16]",
)
"""The shipper at the town, collected by the park's vans (every carrier in the park) at their one wave, 16:00,
every day; 80 rural parcels a day, so a van of 450 always has room."""


def test_park_vans_collect_at_their_wave_by_hand():
    """A parcel ready on day d by 16:00 rides that wave's route, is at the park at 16 + H (H: the route's
    hours) and leaves on line-haul at 24·d + 31 as above; one ready 16:00–18:00 waits for day d + 1's
    wave and leaves at 24·d + 55. Each route counts among its pickups the parcels that became ready since
    the wave before; nothing is billed to them."""
    plan, reference, slow, fast = _run(*PARK_VANS)
    (park,) = [point for point in plan.points if point.tier == "park"]
    assert "t" in [plan.network.site_ids[site] for site in park.tour]  # the town is a stop of the park's vans
    stats = slow.stats
    measured = [p for p in reference.shippers.parcels if stats.window_start_h <= p.appear_h < stats.window_end_h]
    assert len(measured) > 100  # 60 a day × 3 measured days = 180 expected
    late = [p for p in measured if p.appear_h % 24 > 16]
    assert 10 < len(late) < len(measured) - 10  # a fifth of the window expected late: both cases checked
    for parcel in measured:
        day = math.floor(parcel.appear_h / 24)
        assert parcel.finished_h == pytest.approx(24 * day + (55 if parcel in late else 31))
    metrics = replication_metrics(fast)
    assert metrics["factory_time_h_mean"] == pytest.approx(
        sum(p.finished_h - p.appear_h for p in measured) / len(measured)
    )
    assert metrics["factory_cost_per_parcel_cny"] == 0
    for route in replication_tables(fast)["formed_routes"]:  # no village pickups: the route's pickups are these
        wave_h = route["depart_h"]
        assert route["pickups"] == sum(1 for p in reference.shippers.parcels if wave_h - 24 < p.appear_h <= wave_h)


def test_park_vans_with_little_room_leave_parcels_waiting():
    """Vans of 60 parcels against about 80 rural parcels a day: the town is the first stop of the route through
    it, so the room there is 60 less the parcels aboard for the villages after it. Shippers' parcels wait
    longer than with the roomy vans, and some are left at the end."""
    _, _, _, roomy = _run(*PARK_VANS)
    plan, reference, slow, cramped = _run(*PARK_VANS, "vehicle_types.diesel_van.capacity_parcels=60")
    for table in ("shippers", "formed_routes"):  # the room binds here: both engines agree on what it leaves
        for mine, theirs in zip(replication_tables(cramped)[table], replication_tables(slow)[table], strict=True):
            assert mine.keys() == theirs.keys()
            assert all(
                value == theirs[key] or math.isclose(value, theirs[key], rel_tol=1e-9) for key, value in mine.items()
            ), (mine, theirs)
    (park,) = [point for point in plan.points if point.tier == "park"]
    assert [plan.network.site_ids[site] for site in park.tour] == ["t", "v1", "v2"]
    assert replication_metrics(cramped)["factory_time_h_mean"] > replication_metrics(roomy)["factory_time_h_mean"]
    assert any(p.finished_h == math.inf for p in reference.shippers.parcels)


@pytest.mark.parametrize(
    ("where", "scenario_change", "message"),
    [
        ("c", ("parks.consolidated_share=1",), "by the park itself"),
        ("t", ("parks.consolidated_share=0",), "no carrier is in the parks"),
    ],
)
def test_park_vans_need_a_town_and_a_park_fleet(where, scenario_change, message):
    """Park vans collect at a town of a county whose park has vans; otherwise the plan says where and why."""
    scenario = scenario_from_text(
        CITY, "f.yaml", [f"shippers=[{{id: plant, at: {where}, parcels_per_day: 60, collected_by: park_vans}}]",
                         *scenario_change]
    )  # fmt: skip
    with pytest.raises(NetworkError, match=message) as excinfo:
        build_plan(scenario, default_planner())
    assert excinfo.value.path == ("shippers", 0, "collected_by")
