"""Sites placed by longitude and latitude: the local projection to km, and the rules on how sites are placed."""

import math

import numpy as np
import pytest

from simnet.network import build_network
from simnet.network.explicit import EARTH_RADIUS_KM, project_lon_lat
from simnet.scenario import ScenarioError, scenario_from_text
from simnet.scenario.errors import format_path

BASE = "name: x\nseed: 7\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
"""111.195 km: one degree of a great circle on the mean-radius sphere."""

# Around latitude 60° (the mean of the five latitudes below), where a degree of longitude is half a degree
# of latitude long (cos 60° = 0.5). Detour 1, so each link is the projected straight line.
LON_LAT = BASE + (
    "network:\n"
    "  hub: {lon: 10.00, lat: 60.00}\n"
    "  detour_factor: 1\n"
    "  counties:\n"
    "    - id: north\n"
    "      park: {lon: 10.02, lat: 60.00}\n"
    "      towns:\n"
    "        - id: t1\n"
    "          lon: 10.02\n"
    "          lat: 60.01\n"
    "          villages:\n"
    "            - {id: v1, lon: 10.02, lat: 59.99}\n"
    "            - {id: v2, lon: 10.00, lat: 60.00}\n"
)
HUB, PARK, T1, V1, V2 = range(5)


def test_a_hundredth_of_a_degree_of_latitude_is_1_112_km():
    """t1 lies 0.01° north of the park: R·π/180·0.01 = 6371.0088 × 0.000174533 = 1.112 km, at any latitude."""
    network = build_network(scenario_from_text(LON_LAT))
    assert network.graph.edges[PARK, T1]["length_km"] == pytest.approx(1.112, abs=5e-4)
    assert network.graph.edges[T1, V1]["length_km"] == pytest.approx(2 * 0.01 * KM_PER_DEGREE)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_the_mean_latitude():
    """The park lies 0.02° east of the hub at the mean latitude 60°: 0.02 × 111.195 × cos 60° = 1.112 km."""
    network = build_network(scenario_from_text(LON_LAT))
    assert network.graph.edges[HUB, PARK]["length_km"] == pytest.approx(0.02 * KM_PER_DEGREE * 0.5)
    assert network.x_km[PARK] - network.x_km[HUB] == pytest.approx(1.112, abs=5e-4)


def test_projection_centres_the_sites_on_their_mean():
    """x and y are measured from the mean longitude and latitude, so they sum to zero over the sites."""
    network = build_network(scenario_from_text(LON_LAT))
    assert network.x_km.sum() == pytest.approx(0, abs=1e-9)
    assert network.y_km.sum() == pytest.approx(0, abs=1e-9)


def test_projection_formula_by_hand():
    """Two points at (0°, 0°) and (1°, 1°): origin (0.5°, 0.5°), x = ±0.5 × 111.195 × cos 0.5°, y = ±55.598."""
    xy = project_lon_lat(np.array([[0.0, 0.0], [1.0, 1.0]]))
    half_degree_km = 0.5 * KM_PER_DEGREE
    np.testing.assert_allclose(xy[1], [half_degree_km * math.cos(math.radians(0.5)), half_degree_km])
    np.testing.assert_allclose(xy[0], -xy[1])


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "{id: v2, lon: 10.00, lat: 60.00}",
            "{id: v2, x_km: 1, y_km: 2}",
            "network.counties[0].towns[0].villages[1]",
            "placed by x_km/y_km, but the first park by lon/lat",
        ),
        (
            "{id: v2, lon: 10.00, lat: 60.00}",
            "{id: v2, lon: 10.00, lat: 60.00, x_km: 1, y_km: 2}",
            "network.counties[0].towns[0].villages[1]",
            "placed twice",
        ),
        (
            "{id: v2, lon: 10.00, lat: 60.00}",
            "{id: v2, lon: 10.00}",
            "network.counties[0].towns[0].villages[1]",
            "lon is given without lat",
        ),
        ("{id: v2, lon: 10.00, lat: 60.00}", "{id: v2}", "network.counties[0].towns[0].villages[1]", "has no place"),
        ("  hub: {lon: 10.00, lat: 60.00}\n", "", "network.hub", "the hub needs 'lon' and 'lat' too"),
        ("  hub: {lon: 10.00, lat: 60.00}\n", "  hub: {x_km: 0, y_km: 0}\n", "network.hub", "the hub needs"),
        ("lat: 59.99}", "lat: 95}", "network.counties[0].towns[0].villages[0].lat", "less than or equal to 90"),
    ],
)
def test_places_are_checked_where_they_are_written(old, new, path, message):
    """A network places every site by one pair, x_km/y_km or lon/lat, complete and in range; a lon/lat
    network places its hub too. Each broken rule is reported at the site (or value) that breaks it."""
    assert old in LON_LAT
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(LON_LAT.replace(old, new))
    problem = caught.value.problems[0]
    assert message in problem.message
    assert format_path(problem.path) == path


def test_a_generated_city_refuses_a_lon_lat_hub():
    """A generated city is laid out in km around its hub, so the hub cannot be given by lon/lat."""
    text = BASE + "network:\n  hub: {lon: 10, lat: 60}\n  generate: {counties: 2}\n"
    with pytest.raises(ScenarioError, match="laid out in km around the hub"):
        scenario_from_text(text)


def test_a_planar_hub_left_out_lies_at_the_origin():
    """A km network without a hub place keeps the default hub at (0, 0): the park at (3, 4) is 5 km away."""
    text = BASE + (
        "network:\n"
        "  detour_factor: 1\n"
        "  counties:\n"
        "    - id: north\n"
        "      park: {x_km: 3, y_km: 4}\n"
        "      towns: [{id: t1, x_km: 3, y_km: 5, villages: [{id: v1, x_km: 3, y_km: 6}]}]\n"
    )
    network = build_network(scenario_from_text(text))
    assert (network.x_km[HUB], network.y_km[HUB]) == (0.0, 0.0)
    assert network.graph.edges[HUB, PARK]["length_km"] == pytest.approx(5.0)
