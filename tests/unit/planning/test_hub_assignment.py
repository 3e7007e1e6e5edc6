"""Which hub serves each county, each hub's share of the parcels, and the errors of an unserved county."""

import numpy as np
import pytest

from simnet.network.city import build_network
from simnet.network.errors import NetworkError
from simnet.planning.hubs import hub_of_county, plan_hubs, stream_key
from simnet.scenario import scenario_from_text

CITY = """name: x
demand: {{parcels_per_day: 10000, rural_share: 0.2}}
network:
  counties:
    - {{id: w, park: {{x_km: -40, y_km: 0}}, towns: [{{id: wt, x_km: -42, y_km: 1,
        villages: [{{id: wv, x_km: -43, y_km: 2, demand_weight: 3}}]}}]}}
    - {{id: e, park: {{x_km: 40, y_km: 0}}, towns: [{{id: et, x_km: 42, y_km: 1,
        villages: [{{id: ev, x_km: 43, y_km: 2}}]}}]}}
    - {{id: m, park: {{x_km: 5, y_km: 30}}, towns: [{{id: mt, x_km: 6, y_km: 31,
        villages: [{{id: mv, x_km: 7, y_km: 32}}]}}]}}
hubs:
  - {{id: west, x_km: -30, y_km: 0, capacity_per_day: 5000{west}}}
  - {{id: east, x_km: 30, y_km: 0, capacity_per_day: 5000{east}}}
"""


def _city(west: str = "", east: str = ""):
    scenario = scenario_from_text(CITY.format(west=west, east=east), "s.yaml")
    return scenario, build_network(scenario)


def test_unlisted_counties_go_to_the_nearest_hub_by_road():
    """w is 10 km from west, e 10 km from east; m (5, 30) is nearer east: √(25²+30²) < √(35²+30²)."""
    scenario, network = _city()
    np.testing.assert_array_equal(hub_of_county(scenario, network), [0, 1, 1])


def test_a_listing_hub_serves_exactly_its_counties_and_others_share_the_rest():
    """west lists m; the unlisted w and e then go to east, the one hub without a list, however far."""
    scenario, network = _city(west=", counties: [m]")
    np.testing.assert_array_equal(hub_of_county(scenario, network), [1, 1, 0])


def test_a_county_no_hub_serves_is_refused_with_its_fix():
    """Every hub lists counties and none lists e: named, with the fix."""
    scenario, network = _city(west=", counties: [w, m]", east=", counties: []")
    with pytest.raises(NetworkError, match="'e' is served by no hub") as excinfo:
        hub_of_county(scenario, network)
    assert excinfo.value.path == ("hubs",)


def test_an_unknown_county_is_located_in_the_hub_list():
    """A listed county the network lacks is an error at its place in the list."""
    scenario, network = _city(east=", counties: [e, x]")
    with pytest.raises(NetworkError, match="county 'x'") as excinfo:
        hub_of_county(scenario, network)
    assert excinfo.value.path == ("hubs", 1, "counties", 1)


def test_parcel_shares_follow_rural_weights_and_urban_shares():
    """Rural weights 3 : 1 : 1, so west serves 3/5 of the rural demand; with no urban shares its urban share is
    3/5 too. Given urban shares 0.25 / 0.75 instead: west gets 0.8 × 0.25 + 0.2 × 0.6 = 0.32 of the parcels,
    of which 0.12 / 0.32 = 0.375 are rural."""
    scenario, network = _city()
    west, east = plan_hubs(scenario, network)
    assert west.parcel_share == pytest.approx(0.6)
    assert west.rural_share == pytest.approx(0.2)
    scenario, network = _city(west=", urban_share: 0.25", east=", urban_share: 0.75")
    west, east = plan_hubs(scenario, network)
    assert west.parcel_share == pytest.approx(0.32)
    assert west.rural_share == pytest.approx(0.375)
    assert west.parcel_share + east.parcel_share == pytest.approx(1.0)
    assert west.parcel_share * west.rural_share + east.parcel_share * east.rural_share == pytest.approx(0.2)
    np.testing.assert_array_equal(west.villages, [0])
    np.testing.assert_array_equal(east.villages, [1, 2])


def test_stream_keys_depend_on_the_id_alone():
    """A hub's stream key is a stable 32-bit function of its id."""
    assert stream_key("north") == stream_key("north") != stream_key("south")
    assert 0 <= stream_key("north") < 2**32
