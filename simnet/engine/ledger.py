"""Running totals of money, trips and emissions, keyed so the result tables need no raw events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from simnet.scenario.models.costs import Costs, Emissions
from simnet.scenario.models.vehicles import VehicleType

CostKey = tuple[str, int, int, str, str, int]
"""(tier, county, carrier or -1 for shared, vehicle type or '', kind, day)."""

TripKey = tuple[str, int, str, int]
"""(tier, county, vehicle type, day)."""

COST_KINDS = ("vehicle_fixed", "distance", "energy", "driver_time", "handling", "commission")


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


@dataclass
class Ledger:
    """Costs, trips and CO₂ of one replication, counted only inside the measured window."""

    costs: Costs
    emissions: Emissions
    window_start_h: float
    window_end_h: float
    cost_cny: dict[CostKey, float] = field(default_factory=lambda: defaultdict(float))
    trip_totals: dict[TripKey, TripTotals] = field(default_factory=lambda: defaultdict(TripTotals))

    def day_of(self, time_h: float) -> int | None:
        """Measured day index (0-based) of a time, or None outside the window."""
        if not self.window_start_h <= time_h < self.window_end_h:
            return None
        return int((time_h - self.window_start_h) // 24)

    def add_cost(
        self, time_h: float, tier: str, county: int, carrier: int, vehicle: str, kind: str, cny: float
    ) -> None:
        """Book an amount at a time; ignored outside the window."""
        day = self.day_of(time_h)
        if day is not None and cny:
            self.cost_cny[(tier, county, carrier, vehicle, kind, day)] += cny

    def add_trip(
        self,
        start_h: float,
        tier: str,
        county: int,
        carrier: int,
        vehicle_name: str,
        vehicle: VehicleType,
        distance_km: float,
        hours: float,
        load_factor: float,
    ) -> None:
        """Book one trip (distance, driver time, energy and CO₂) at its start time."""
        day = self.day_of(start_h)
        if day is None:
            return
        totals = self.trip_totals[(tier, county, vehicle_name, day)]
        totals.trips += 1
        totals.vehicle_km += distance_km
        totals.vehicle_hours += hours
        totals.load_factor_sum += load_factor
        energy = vehicle.energy
        if energy.kind == "diesel":
            litres = distance_km * energy.litres_per_100km / 100
            totals.diesel_l += litres
            totals.co2_kg += litres * self.emissions.diesel_co2_kg_per_l
            energy_cny = litres * self.costs.diesel_cny_per_l
        else:
            kwh = distance_km * energy.kwh_per_100km / 100
            totals.energy_kwh += kwh
            totals.co2_kg += kwh * self.emissions.grid_co2_kg_per_kwh
            energy_cny = kwh * self.costs.electricity_cny_per_kwh
        self.add_cost(start_h, tier, county, carrier, vehicle_name, "distance", distance_km * vehicle.cost_per_km_cny)
        self.add_cost(start_h, tier, county, carrier, vehicle_name, "energy", energy_cny)
        self.add_cost(
            start_h, tier, county, carrier, vehicle_name, "driver_time", hours * vehicle.driver_cost_per_h_cny
        )
