"""The ``shippers:`` section: a ready window, van fields only for a dedicated van, unique ids, known vehicles."""

from simnet.scenario import scenario_from_text
from tests.unit.scenario.test_loader import text_error

BASE = """name: x
demand: {parcels_per_day: 1000}
hub: {capacity_per_day: 2000}
network: {generate: {counties: 2, towns_per_county: 1, villages_per_town: 2}}
shippers:
  - {id: a, at: c01, parcels_per_day: 100, collected_by: trunk_return}
  - {id: b, at: c02-t01, parcels_per_day: 50, collected_by: dedicated_van}
"""


def test_a_dedicated_van_leaves_at_the_end_of_the_window_unless_told():
    """Without ``van_departures_h`` the van leaves when the last parcels are ready; times repeat daily."""
    scenario = scenario_from_text(BASE, "s.yaml")
    assert scenario.shippers[1].van_clock_h == (18.0,)
    scenario = scenario_from_text(BASE, "s.yaml", ["shippers.1.van_departures_h=[26, 12]"])
    assert scenario.shippers[1].van_clock_h == (2.0, 12.0)


def test_shipper_errors_are_located():
    """Each broken rule is reported at its key, with a fix."""
    cases = {
        "shippers.1.id=a": ("shippers", 1, "id"),
        "shippers.0.van_departures_h=[20]": ("shippers", 0, "van_departures_h"),
        "shippers.1.vehicle_type=bike": ("shippers", 1, "vehicle_type"),
        "shippers.0.ready_until_h=7": ("shippers", 0, "ready_until_h"),
    }
    for override, path in cases.items():
        (problem,) = text_error(BASE, (override,)).problems
        assert problem.path == path, override
        assert problem.hint, override
