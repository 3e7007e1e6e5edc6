"""Building the city: generated layouts and explicitly listed networks."""

import math

import numpy as np
import pytest

from simnet.network import NetworkError, build_network
from simnet.scenario import scenario_from_text

BASE = "name: x\nseed: 7\ndemand: {parcels_per_day: 1000}\nhub: {capacity_per_day: 5000}\n"

GENERATED = BASE + (
    "network:\n"
    "  hub: {x_km: 5, y_km: -3}\n"
    "  detour_factor: 1.3\n"
    "  generate: {counties: 3, towns_per_county: 4, villages_per_town: 5, radius_km: 40,\n"
    "             county_radius_km: 15, town_radius_km: 4}\n"
)

# One county east of the hub: park 30 km out, town 8 km north of the park, villages 6 km north of the
# town and at (4, 3) km from it (a 3-4-5 triangle, so 5 km straight).
EXPLICIT = BASE + (
    "network:\n"
    "  hub: {id: hub, x_km: 0, y_km: 0}\n"
    "  detour_factor: 1.5\n"
    "  counties:\n"
    "    - id: east\n"
    "      name: 东县\n"
    "      park: {x_km: 30, y_km: 0}\n"
    "      towns:\n"
    "        - id: t1\n"
    "          x_km: 30\n"
    "          y_km: 8\n"
    "          villages:\n"
    "            - {id: v1, x_km: 30, y_km: 14}\n"
    "            - {id: v2, x_km: 34, y_km: 11, demand_weight: 2}\n"
)

ROADS = (
    "  roads:\n"
    "    - {from: hub, to: east, road_class: expressway}\n"
    "    - {from: east, to: t1, road_class: county, length_km: 10}\n"
    "    - {from: t1, to: v1, road_class: township, length_km: 7}\n"
    "    - {from: east, to: v1, road_class: village, length_km: 16}\n"
    "    - {from: t1, to: v2, road_class: village}\n"
)


def edge_set(network):
    return {frozenset(edge) for edge in network.graph.edges}


def test_generated_counts_follow_the_spec():
    """3 counties × 4 towns × 5 villages: 1 hub + 3 parks + 12 towns + 60 villages = 76 sites. Links: every
    pair of a county's 25 sites (300 per county, 900) and of the hub and 3 parks (6): 906."""
    network = build_network(scenario_from_text(GENERATED))
    assert len(network.site_ids) == 76
    assert np.bincount(network.site_kind).tolist() == [1, 3, 12, 60]
    assert network.graph.number_of_nodes() == 76
    assert network.graph.number_of_edges() == 3 * (25 * 24 // 2) + 4 * 3 // 2
    assert network.parks.tolist() == [1, 2, 3]
    assert network.towns.tolist() == list(range(4, 16))
    assert network.villages.tolist() == list(range(16, 76))
    assert len(network.village_weight) == 60
    assert network.site_paths == {}


def test_generated_ids_and_names():
    """Ids number from 1 with two digits; the last village of the last town of county 3 is c03-t04-v05."""
    network = build_network(scenario_from_text(GENERATED))
    assert network.site_ids[:4] == ("hub", "c01", "c02", "c03")
    assert network.county_ids == ("c01", "c02", "c03")
    assert network.county_names == ("县01", "县02", "县03")
    assert network.site_ids[4] == "c01-t01"
    assert network.site_ids[-1] == "c03-t04-v05"


def test_generated_tiers_point_to_their_parents():
    """Each town belongs to the county of its park, each village to its town and that town's county."""
    network = build_network(scenario_from_text(GENERATED))
    assert network.county_of_site[0] == -1
    assert network.town_of_site[:4].tolist() == [-1, -1, -1, -1]
    for town in network.towns:
        assert network.town_of_site[town] == town
        park = network.parks[network.county_of_site[town]]
        assert network.graph.has_edge(int(park), int(town))
    for village in network.villages:
        town = network.town_of_site[village]
        assert network.site_kind[town] == 2
        assert network.county_of_site[village] == network.county_of_site[town]
        assert network.graph.has_edge(int(town), int(village))


def test_generated_sites_lie_within_their_radii():
    """Parks within 40 km of the hub at (5, −3), towns within 15 km of their park, villages within 4 km of a town."""
    network = build_network(scenario_from_text(GENERATED))
    x, y = network.x_km, network.y_km
    assert (x[0], y[0]) == (5.0, -3.0)
    assert np.all(np.hypot(x[network.parks] - 5, y[network.parks] + 3) <= 40)
    parks = network.parks[network.county_of_site[network.towns]]
    assert np.all(np.hypot(x[network.towns] - x[parks], y[network.towns] - y[parks]) <= 15)
    towns = network.town_of_site[network.villages]
    assert np.all(np.hypot(x[network.villages] - x[towns], y[network.villages] - y[towns]) <= 4)


def test_generated_roads_are_straight_line_times_detour():
    """Every implied link is 1.3 × the straight line (at least 0.1 km), in the default class of the lower
    tier of its ends: expressway to a park, county road to a town, village road to a village."""
    network = build_network(scenario_from_text(GENERATED))
    class_of_lower_tier = {1: "expressway", 2: "county", 3: "village"}
    for start, end, data in network.graph.edges(data=True):
        straight = math.hypot(network.x_km[start] - network.x_km[end], network.y_km[start] - network.y_km[end])
        assert data["length_km"] == pytest.approx(max(0.1, 1.3 * straight))
        lower_tier = max(int(network.site_kind[start]), int(network.site_kind[end]))
        assert data["road_class"] == class_of_lower_tier[lower_tier]


def test_implied_links_join_a_county_completely_and_the_hub_only_to_parks():
    """Two sites are linked exactly when they lie in one county, or both are among the hub and the parks:
    no link crosses counties below the parks, and the hub reaches towns and villages only through a park."""
    network = build_network(scenario_from_text(GENERATED))
    county = network.county_of_site
    for start in range(len(network.site_ids)):
        for end in range(start + 1, len(network.site_ids)):
            same_county = county[start] == county[end] != -1
            top_tiers = network.site_kind[start] <= 1 and network.site_kind[end] <= 1
            assert network.graph.has_edge(start, end) == bool(same_county or top_tiers), (start, end)


def test_layout_is_reproducible_by_seed():
    """The same scenario builds the same city; another layout seed moves the sites."""
    first = build_network(scenario_from_text(GENERATED))
    again = build_network(scenario_from_text(GENERATED))
    other = build_network(scenario_from_text(GENERATED.replace("radius_km: 40,", "radius_km: 40, seed: 99,")))
    np.testing.assert_array_equal(first.x_km, again.x_km)
    np.testing.assert_array_equal(first.village_weight, again.village_weight)
    assert edge_set(first) == edge_set(again)
    assert not np.array_equal(first.x_km, other.x_km)


def test_run_seed_does_not_move_the_city():
    """The scenario (run) seed varies demand, not the city: the layout has its own seed."""
    first = build_network(scenario_from_text(GENERATED))
    other = build_network(scenario_from_text(GENERATED.replace("seed: 7", "seed: 8")))
    np.testing.assert_array_equal(first.x_km, other.x_km)
    np.testing.assert_array_equal(first.village_weight, other.village_weight)


def test_more_villages_do_not_move_parks_or_towns():
    """Each tier draws from its own seed stream, so the village count leaves parks and towns in place."""
    first = build_network(scenario_from_text(GENERATED))
    more = build_network(scenario_from_text(GENERATED.replace("villages_per_town: 5", "villages_per_town: 9")))
    np.testing.assert_array_equal(first.x_km[:16], more.x_km[:16])
    np.testing.assert_array_equal(first.y_km[:16], more.y_km[:16])


def test_village_weights_have_mean_one_and_the_given_cv():
    """2,000 lognormal weights with cv 0.5: sample mean within 0.05 of 1 (≈ 4.5 standard errors of 0.011)
    and sample cv within 0.05 of 0.5."""
    text = BASE + "network:\n  generate: {counties: 20, towns_per_county: 10, villages_per_town: 10,\n"
    weights = build_network(scenario_from_text(text + "             village_weight_cv: 0.5}\n")).village_weight
    assert len(weights) == 2000
    assert np.all(weights > 0)
    assert weights.mean() == pytest.approx(1, abs=0.05)
    assert weights.std() / weights.mean() == pytest.approx(0.5, abs=0.05)


def test_zero_cv_gives_equal_weights():
    """village_weight_cv 0 makes every village weigh exactly 1."""
    text = GENERATED.replace("town_radius_km: 4}", "town_radius_km: 4, village_weight_cv: 0}")
    assert build_network(scenario_from_text(text)).village_weight.tolist() == [1.0] * 60


def test_network_arrays_are_read_only():
    """The frozen network's arrays cannot be written by the engine."""
    network = build_network(scenario_from_text(GENERATED))
    with pytest.raises(ValueError, match="read-only"):
        network.x_km[0] = 1.0


def test_explicit_network_without_roads_gets_implied_links():
    """Listed sites keep their ids (the park takes the county's); every two sites of the county are linked
    at 1.5 × straight: hub–east 45, east–t1 12, east–v1 21, east–v2 1.5 × √137, t1–v1 9, t1–v2 and v1–v2
    7.5 (3-4-5 triangles)."""
    network = build_network(scenario_from_text(EXPLICIT))
    assert network.site_ids == ("hub", "east", "t1", "v1", "v2")
    assert network.site_kind.tolist() == [0, 1, 2, 3, 3]
    assert network.county_names == ("东县",)
    assert network.village_weight.tolist() == [1.0, 2.0]
    lengths = {frozenset((a, b)): data["length_km"] for a, b, data in network.graph.edges(data=True)}
    assert lengths == pytest.approx(
        {
            frozenset((0, 1)): 45.0,
            frozenset((1, 2)): 12.0,
            frozenset((1, 3)): 21.0,
            frozenset((1, 4)): 1.5 * math.sqrt(4**2 + 11**2),
            frozenset((2, 3)): 9.0,
            frozenset((2, 4)): 7.5,
            frozenset((3, 4)): 7.5,
        }
    )


def test_a_van_goes_village_to_village_on_a_village_road():
    """v1 (30, 14) and v2 (34, 11) are 5 km apart: their link is 1.5 × 5 = 7.5 km of village road, not the
    9 + 7.5 km back through their town."""
    network = build_network(scenario_from_text(EXPLICIT))
    assert network.graph.edges[3, 4] == {"length_km": pytest.approx(7.5), "road_class": "village"}


def test_implied_link_classes_follow_the_lower_tier_and_the_scenario_names():
    """With two towns and road_classes {hub_to_park: highway, park_to_town: township, town_to_village:
    county}: hub–park is highway, park–town and town–town township (a town is the lower end), and every
    link to a village county, whatever its other end."""
    text = EXPLICIT.replace(
        "          villages:\n            - {id: v1",
        "          villages:\n            - {id: v0, x_km: 31, y_km: 8}\n        - id: t2\n"
        "          x_km: 26\n          y_km: 5\n          villages:\n            - {id: v1",
    ).replace(
        "  detour_factor: 1.5\n",
        "  detour_factor: 1.5\n  road_classes: {hub_to_park: highway, "
        "park_to_town: township, town_to_village: county}\n",
    )
    network = build_network(scenario_from_text(text))
    assert network.site_ids == ("hub", "east", "t1", "t2", "v0", "v1", "v2")
    classes = {frozenset((a, b)): data["road_class"] for a, b, data in network.graph.edges(data=True)}
    assert classes[frozenset((0, 1))] == "highway"
    assert {classes[frozenset(pair)] for pair in [(1, 2), (1, 3), (2, 3)]} == {"township"}
    assert {name for pair, name in classes.items() if pair & {4, 5, 6}} == {"county"}
    assert len(classes) == 1 + 6 * 5 // 2


def test_too_many_implied_links_are_refused_at_the_generate_section():
    """A county of 10 towns × 200 villages has 2,011 sites, so 2,011 × 2,010 / 2 = 2,021,055 links, plus the
    hub–park one: over the 2,000,000 simnet builds, a NetworkError at network.generate asking for roads."""
    text = BASE + "network:\n  generate: {counties: 1, towns_per_county: 10, villages_per_town: 200}\n"
    with pytest.raises(NetworkError, match="2,021,056 links") as caught:
        build_network(scenario_from_text(text))
    assert caught.value.path == ("network", "generate")
    assert "villages_per_town" in caught.value.hint


def test_explicit_sites_carry_their_field_paths():
    """Each site id is located in the scenario: the second village is counties[0].towns[0].villages[1].id."""
    paths = build_network(scenario_from_text(EXPLICIT)).site_paths
    assert paths[0] == ("network", "hub", "id")
    assert paths[1] == ("network", "counties", 0, "id")
    assert paths[4] == ("network", "counties", 0, "towns", 0, "villages", 1, "id")


def test_explicit_network_uses_exactly_the_listed_roads():
    """Five listed roads, five edges; given lengths kept, missing ones 1.5 × straight (hub–east 45, t1–v2 7.5)."""
    network = build_network(scenario_from_text(EXPLICIT + ROADS))
    edges = {
        frozenset((a, b)): (data["road_class"], data["length_km"]) for a, b, data in network.graph.edges(data=True)
    }
    assert edges == {
        frozenset((0, 1)): ("expressway", pytest.approx(45.0)),
        frozenset((1, 2)): ("county", 10.0),
        frozenset((2, 3)): ("township", 7.0),
        frozenset((1, 3)): ("village", 16.0),
        frozenset((2, 4)): ("village", pytest.approx(7.5)),
    }


def test_a_road_listed_twice_is_refused_with_its_path():
    """Two roads between the same sites cannot both live in the graph; the second is named."""
    text = EXPLICIT + ROADS + "    - {from: v1, to: east, road_class: county}\n"
    with pytest.raises(NetworkError, match="roads 3 and 5") as caught:
        build_network(scenario_from_text(text))
    assert caught.value.path == ("network", "roads", 5)


def test_a_road_from_a_site_to_itself_is_refused():
    """A road must join two different sites."""
    text = EXPLICIT + ROADS + "    - {from: t1, to: t1, road_class: county}\n"
    with pytest.raises(NetworkError, match="back to itself") as caught:
        build_network(scenario_from_text(text))
    assert caught.value.path == ("network", "roads", 5, "to")
