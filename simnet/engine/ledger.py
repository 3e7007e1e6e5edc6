"""Running totals of money, trips and emissions, keyed so the result tables need no raw events.

Where each cost kind is booked, and to which account:
- ``handling`` at the hub (account ``hub``) when the day's parcels arrive there, one unit per rural
  parcel; at a park or depot line (``park`` / ``depot``, county, carrier of a depot) when a truck
  unloads; at a town station (``town``) when a vehicle leaves with parcels for it.
- ``commission`` (``village``, county, carrier of a depot) when a vehicle leaves with parcels for
  village points (when a bus leaves parcels at one).
- ``distance``, ``energy`` and ``driver_time`` (the fleet's account: tier, county, carrier of a
  depot, vehicle type) at each trip's departure, for its whole round trip.
- ``vehicle_fixed`` (the fleet's account; the trunk pool has no county) once per simulated day,
  for the most vehicles the fleet had out at once that day.
- ``facility_fixed`` (``hub``; ``park`` and ``town`` and ``village`` per county; ``depot`` per
  county and carrier) once per simulated day for each facility (``engine/facilities.py``).
- ``fare`` (``bus``, county) when a parcel or pickup boards a bus line: the price per unit, and the
  transfer price when it boards a second line; ``handling`` (``bus``) for the park's bus station
  when it boards there (``engine/bus.py``). Bus CO₂ is a factor per unit and line ridden
  (``add_bus_co2``); buses book no trips, km or vehicle costs.
Only what is booked inside the measured window counts in the tables; ``all_time_cny`` sums every
booking of the run (warm-up and drain days too), the total that cost attribution shares out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from simnet.scenario.models.costs import Costs, Emissions
from simnet.scenario.models.vehicles import VehicleType


@dataclass(frozen=True)
class Account:
    """Who a cost is booked to: a tier and, where they apply, a county, a carrier, a vehicle type and a hub.

    ``carrier`` is None for what member carriers share in the park; ``county`` is None for a
    hub and for a trunk pool's fixed cost, which name their ``hub`` (its number) instead.
    """

    tier: str
    county: int | None = None
    carrier: int | None = None
    vehicle_type: str | None = None
    hub: int | None = None

    def sort_key(self) -> tuple[str, int, int, str, int]:
        """Order of rows in the tables: tier, county, carrier, vehicle type, hub (absent ones first)."""
        county = -1 if self.county is None else self.county
        carrier = -1 if self.carrier is None else self.carrier
        hub = -1 if self.hub is None else self.hub
        return (self.tier, county, carrier, self.vehicle_type or "", hub)


CostKey = tuple[Account, str, int]
"""(account, kind, measured day)."""

TripKey = tuple[Account, int]
"""(account without carrier, measured day): trips are counted per tier, county and vehicle type."""

COST_KINDS = ("vehicle_fixed", "distance", "energy", "driver_time", "handling", "commission", "facility_fixed", "fare")


@dataclass
class TripTotals:
    """Sums over trips sharing a key."""

    trips: int = 0
    vehicle_km: float = 0.0
    vehicle_hours: float = 0.0
    load_factor_sum: float = 0.0
    energy_kwh: float = 0.0
    diesel_l: float = 0.0
    co2_kg: float = 0.0


@dataclass(frozen=True)
class FormedRoute:
    """One trip of a last-mile vehicle as it left: where from, when, how many stops, what it carried."""

    point: str
    account: Account
    day: int
    depart_h: float
    stops: int
    parcels: int
    pickups: int
    distance_km: float
    hours: float


@dataclass
class Ledger:
    """Costs, trips and CO₂ of one replication, counted only inside the measured window."""

    costs: Costs
    emissions: Emissions
    window_start_h: float
    window_end_h: float
    cost_cny: dict[CostKey, float] = field(default_factory=lambda: defaultdict(float))
    trip_totals: dict[TripKey, TripTotals] = field(default_factory=lambda: defaultdict(TripTotals))
    formed_routes: list[FormedRoute] = field(default_factory=list)
    all_time_cny: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """Every amount booked in the run, inside the window or not, by (tier, kind)."""
    bus_co2_kg: dict[tuple[Account, int], float] = field(default_factory=lambda: defaultdict(float))
    """CO₂ of parcels and pickups on buses, by (account, measured day)."""

    def day_of(self, time_h: float) -> int | None:
        """Measured day index (0-based) of a time, or None outside the window."""
        if not self.window_start_h <= time_h < self.window_end_h:
            return None
        return int((time_h - self.window_start_h) // 24)

    def add_cost(self, time_h: float, account: Account, kind: str, cny: float) -> None:
        """Book an amount at a time; outside the window it counts in ``all_time_cny`` only."""
        if cny:
            self.all_time_cny[(account.tier, kind)] += cny
        day = self.day_of(time_h)
        if day is not None and cny:
            self.cost_cny[(account, kind, day)] += cny

    def add_bus_co2(self, time_h: float, account: Account, co2_kg: float) -> None:
        """Book the CO₂ of units boarding a bus at ``time_h``; ignored outside the window."""
        day = self.day_of(time_h)
        if day is not None and co2_kg:
            self.bus_co2_kg[(account, day)] += co2_kg

    def add_route(
        self,
        start_h: float,
        point: str,
        account: Account,
        stops: int,
        parcels: int,
        pickups: int,
        distance_km: float,
        hours: float,
    ) -> None:
        """Record a last-mile route as it left (its trip is booked by ``add_trip``); ignored outside the window."""
        day = self.day_of(start_h)
        if day is not None:
            self.formed_routes.append(
                FormedRoute(point, account, day, start_h, stops, parcels, pickups, distance_km, hours)
            )

    def add_trip(
        self,
        start_h: float,
        account: Account,
        vehicle: VehicleType,
        distance_km: float,
        hours: float,
        load_factor: float,
    ) -> tuple[tuple[str, float], ...]:
        """Book one trip (distance, driver time, energy and CO₂) of ``vehicle`` at its start time.

        Returns the trip's cost items, (kind, CNY), for attribution to what it carries.
        """
        energy = vehicle.energy
        if energy.kind == "diesel":
            litres = distance_km * energy.litres_per_100km / 100
            kwh = 0.0
            co2_kg = litres * self.emissions.diesel_co2_kg_per_l
            energy_cny = litres * self.costs.diesel_cny_per_l
        else:
            litres = 0.0
            kwh = distance_km * energy.kwh_per_100km / 100
            co2_kg = kwh * self.emissions.grid_co2_kg_per_kwh
            energy_cny = kwh * self.costs.electricity_cny_per_kwh
        items = (
            ("distance", distance_km * vehicle.cost_per_km_cny),
            ("energy", energy_cny),
            ("driver_time", hours * vehicle.driver_cost_per_h_cny),
        )
        for kind, cny in items:
            self.add_cost(start_h, account, kind, cny)
        day = self.day_of(start_h)
        if day is not None:
            totals = self.trip_totals[(replace(account, carrier=None), day)]
            totals.trips += 1
            totals.vehicle_km += distance_km
            totals.vehicle_hours += hours
            totals.load_factor_sum += load_factor
            totals.diesel_l += litres
            totals.energy_kwh += kwh
            totals.co2_kg += co2_kg
        return items
