"""The ``village_points`` and ``town_stations`` sections: defaults, clock times and located errors."""

import pytest

from simnet.scenario import ScenarioError, scenario_from_text
from simnet.scenario.models.points import DEFAULT_COLLECTION_DELAY_MEAN_H, PickupPoints

MINIMAL = "name: x\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"


def test_absent_sections_and_defaults():
    """Without the sections nothing changes; a written section is always open with no cells unless told."""
    assert scenario_from_text(MINIMAL).village_points is None
    assert scenario_from_text(MINIMAL).town_stations is None
    points = scenario_from_text(MINIMAL + "town_stations: {}\n").town_stations
    assert points == PickupPoints()
    assert points.always_open
    assert points.locker_cells == 0
    assert points.collection_delay_h.mean == DEFAULT_COLLECTION_DELAY_MEAN_H


def test_clock_times_and_several_intervals():
    """Hours may be written as clock times; a lunch break makes two intervals, and the point is not always open."""
    text = MINIMAL + 'village_points: {opening_hours: [["08:30", 12], [13, "17:30"]], locker_cells: 4}\n'
    points = scenario_from_text(text).village_points
    assert points.opening_hours == ((8.5, 12.0), (13.0, 17.5))
    assert not points.always_open


@pytest.mark.parametrize(
    ("section", "place", "fragment"),
    [
        ("village_points: {opening_hours: [[8, 12], [11, 20]]}", "village_points.opening_hours[1]", "starts before"),
        ("village_points: {opening_hours: [[20, 8]]}", "village_points.opening_hours[0]", "must end after it starts"),
        ("village_points: {opening_hours: [[8, 26]]}", "village_points.opening_hours[0]", "by 24:00"),
        ("village_points: {opening_hours: []}", "village_points.opening_hours", "at least 1"),
        ("town_stations: {locker_cells: -1}", "town_stations.locker_cells", "greater than or equal to 0"),
        ("town_stations: {collection_delay_h: {kind: exponential, mean: 0}}", "collection_delay_h.mean", "greater"),
    ],
)
def test_bad_sections_are_refused_where_they_are_wrong(section, place, fragment):
    """Overlapping or reversed hours, hours past midnight, no hours, negative cells or a zero delay: one located
    sentence naming the file, line and field."""
    with pytest.raises(ScenarioError, match=fragment) as raised:
        scenario_from_text(MINIMAL + section + "\n", "points.yaml")
    assert "points.yaml:4:" in str(raised.value)
    assert place in str(raised.value)
