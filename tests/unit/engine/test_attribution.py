"""The fast engine's attribution folds its records the same way whether it buffers them or folds them at once."""

import numpy as np
import pytest

from simnet.engine import attribution
from simnet.engine.attribution import ITEM_INDEX, Attribution
from simnet.engine.model import run_replication
from simnet.planning import build_plan, default_planner
from simnet.scenario import scenario_from_text

CITY = """
name: attribution paths
seed: 4
horizon_days: 2
warmup_days: 1
drain_days: 2
demand: {parcels_per_day: 3000, rural_share: 0.4, pickups_per_village_per_day: 2}
network: {generate: {counties: 2, towns_per_county: 2, villages_per_town: 3}}
hub: {capacity_per_day: 5000}
parks: {consolidated_share: 0.5}
costs: {facility_cny_per_day: {hub_per_daily_capacity: 0.01, park: 500, depot: 200, town: 50, village: 3}}
"""


def _attributed():
    plan = build_plan(scenario_from_text(CITY, "paths.yaml"), default_planner())
    return run_replication(plan, 0).outcome().attributed


def test_flushing_every_record_and_folding_every_record_at_once_agree(monkeypatch):
    """Buffered until the day ends (the default here), flushed after every record, or every record folded
    at once: the same sums, to float rounding."""
    default = _attributed()
    monkeypatch.setattr(attribution, "FLUSH_UNITS", 1)
    flushed = _attributed()
    monkeypatch.setattr(attribution, "LARGE_RECORD", 1)
    folded = _attributed()
    for other in (flushed, folded):
        for name in ("by_village", "by_carrier", "unattributed", "arrived_by_village", "arrived_by_carrier"):
            assert np.allclose(getattr(default, name), getattr(other, name), rtol=1e-12, atol=1e-9), name
    assert default.by_village[ITEM_INDEX[("village", "facility_fixed")]].sum() > 0  # facility costs were shared


def test_fixed_cost_of_a_day_nobody_was_handled_stays_unattributed():
    """A facility that handled 3 units on day 0 and none on day 1: day 0's 6 CNY is 2 per unit, day 1's 6 CNY
    is unattributed; a trip carrying nothing leaves its cost unattributed too."""
    costs = Attribution(villages=2, carriers=1, window_start_h=0.0, window_end_h=24.0)
    place = costs.place(("park", 0, -1), "park", "facility_fixed")
    village_group, carrier_group = costs.groups(
        np.array([0, 0, 1]), np.array([0, 0, 0]), np.array([1.0, 2.0, 30.0]), pickup=False
    )
    costs.record(village_group, carrier_group, 5.0, [("park", "handling", 0.9)], place=place)
    empty = np.empty(0, dtype=np.int64)
    costs.record(empty, empty, 6.0, [("park", "distance", 4.0)])
    costs.fixed(place, 0, 6.0)
    costs.fixed(place, 1, 6.0)
    result = costs.finish(days=2)
    item = ITEM_INDEX[("park", "facility_fixed")]
    # groups: block 2 (horizon parcel) × 2 villages + village; the third parcel (30 h) is outside the horizon
    assert result.by_village[item, [4, 5, 1]] == pytest.approx([4.0, 0.0, 2.0])
    assert result.by_village[ITEM_INDEX[("park", "handling")]].sum() == pytest.approx(0.9)
    assert result.unattributed[item] == pytest.approx(6.0)
    assert result.unattributed[ITEM_INDEX[("park", "distance")]] == pytest.approx(4.0)
    assert result.total_cny() == pytest.approx(0.9 + 4.0 + 12.0)
    assert result.horizon_cny("parcel") == pytest.approx(2 * (0.3 + 2.0))
    assert result.outside_cny() == pytest.approx(0.3 + 2.0)
