"""Vehicle types (capacity, speed by road class, costs, energy, range) and the fleet of each tier."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from simnet.scenario.models.base import (
    Identifier,
    NonNegativeFloat,
    PositiveCount,
    PositiveFloat,
    RuleError,
    SpecModel,
)
from simnet.scenario.models.network import RoadClass


class Diesel(SpecModel):
    """A diesel engine; CO₂ and cost follow from litres burnt."""

    kind: Literal["diesel"] = "diesel"
    litres_per_100km: PositiveFloat


class Electric(SpecModel):
    """A battery-electric drive; CO₂ follows the grid factor, cost the electricity price."""

    kind: Literal["electric"] = "electric"
    kwh_per_100km: PositiveFloat


Energy = Annotated[Diesel | Electric, Field(discriminator="kind")]


class VehicleType(SpecModel):
    """A kind of vehicle; it may use exactly the road classes it has a speed for."""

    name: str = ""
    capacity_parcels: PositiveCount
    speed_kmh: Annotated[
        dict[RoadClass, Annotated[float, Field(gt=0, le=200)]],
        Field(min_length=1, description="Speed on each road class it may use; other classes are closed to it."),
    ]
    cost_per_day_cny: Annotated[
        NonNegativeFloat, Field(description="Fixed cost per vehicle and day: depreciation, insurance, parking.")
    ]
    cost_per_km_cny: Annotated[
        NonNegativeFloat, Field(description="Distance cost besides energy: maintenance, tyres, tolls.")
    ]
    driver_cost_per_h_cny: Annotated[NonNegativeFloat, Field(description="Driver or courier pay per hour on the road.")]
    energy: Energy
    range_km: Annotated[
        PositiveFloat | None, Field(description="Longest distance on one charge or tank per trip; none = unlimited.")
    ] = None
    max_route_h: Annotated[
        PositiveFloat | None,
        Field(description="Longest a route formed at a wave may take, driving and stops; none = unlimited."),
    ] = None

    @property
    def road_speeds_kmh(self) -> dict[str, float]:
        """Speed by road class, for path search; a class absent here is closed to the vehicle."""
        return {str(road_class): speed for road_class, speed in self.speed_kmh.items()}


# Reference §1.5 "Vehicles" and "Parcels per vehicle" (E); costs from "Vehicle cost parameters"
# (E) and §1.4 "Driver/courier cost per day" (E: 250–400 yuan/day van, 180–300 tricycle, ~9 h).
DEFAULT_VEHICLE_TYPES: dict[str, VehicleType] = {
    "trailer_17m5": VehicleType(
        name="17.5 m 半挂车",
        capacity_parcels=12_000,
        speed_kmh={"expressway": 75, "highway": 55, "county": 40},
        cost_per_day_cny=600,
        cost_per_km_cny=1.5,
        driver_cost_per_h_cny=45,
        energy=Diesel(litres_per_100km=35),
    ),
    "truck_4m2": VehicleType(
        name="4.2 m 厢式货车",
        capacity_parcels=1_500,
        speed_kmh={"expressway": 80, "highway": 60, "county": 45, "township": 40, "village": 30},
        cost_per_day_cny=180,
        cost_per_km_cny=0.6,
        driver_cost_per_h_cny=35,
        energy=Diesel(litres_per_100km=18),
    ),
    "diesel_van": VehicleType(
        name="柴油厢式车",
        capacity_parcels=450,
        speed_kmh={"expressway": 85, "highway": 60, "county": 45, "township": 40, "village": 30},
        cost_per_day_cny=110,
        cost_per_km_cny=0.4,
        driver_cost_per_h_cny=35,
        energy=Diesel(litres_per_100km=10),
    ),
    "ev_van": VehicleType(
        name="新能源厢式车",
        capacity_parcels=450,
        speed_kmh={"expressway": 85, "highway": 60, "county": 45, "township": 40, "village": 30},
        cost_per_day_cny=130,
        cost_per_km_cny=0.2,
        driver_cost_per_h_cny=35,
        energy=Electric(kwh_per_100km=24),
        range_km=250,
    ),
    "e_tricycle": VehicleType(
        name="电动三轮车",
        capacity_parcels=150,
        speed_kmh={"county": 15, "township": 15, "village": 15},
        cost_per_day_cny=20,
        cost_per_km_cny=0.05,
        driver_cost_per_h_cny=25,
        energy=Electric(kwh_per_100km=6.5),
        range_km=90,
    ),
}


class VehicleCount(SpecModel):
    """Vehicles of one type at a facility."""

    vehicle_type: Identifier
    count: PositiveCount


class FleetMix(SpecModel):
    """What one facility runs: one type with a count, or a mix of types, and a route duration limit."""

    vehicle_type: Identifier | None = None
    count: Annotated[
        PositiveCount | None, Field(description="Vehicles at each facility of the tier (hub, park, station, depot).")
    ] = None
    vehicles: Annotated[
        tuple[VehicleCount, ...] | None,
        Field(
            min_length=1,
            description="A mix of types with counts, instead of vehicle_type and count; each route gets the "
            "cheapest free vehicle that fits it.",
        ),
    ] = None
    max_route_h: Annotated[
        PositiveFloat | None,
        Field(description="Longest a route may take at this facility; overrides the vehicle types' max_route_h."),
    ] = None

    @model_validator(mode="after")
    def _one_way_of_saying(self) -> FleetMix:
        single = self.vehicle_type is not None or self.count is not None
        if single and self.vehicles is not None:
            raise RuleError(
                "a fleet gives either vehicle_type and count, or vehicles, not both.",
                ("vehicles",),
                "keep the vehicles list and set vehicle_type and count to null, or drop vehicles",
            )
        if self.vehicles is None and (self.vehicle_type is None or self.count is None):
            missing = "vehicle_type" if self.vehicle_type is None else "count"
            raise RuleError(f"a fleet needs {missing} (or a vehicles list).", (missing,), f"give {missing}")
        if self.vehicles is not None:
            names = [entry.vehicle_type for entry in self.vehicles]
            if len(set(names)) != len(names):
                raise RuleError("a vehicle type is listed twice.", ("vehicles",), "list each type once, with its count")
        return self

    @property
    def mix(self) -> tuple[VehicleCount, ...]:
        """The facility's vehicles as (type, count) entries, whichever way they were written."""
        if self.vehicles is not None:
            return self.vehicles
        assert self.vehicle_type is not None
        assert self.count is not None
        return (VehicleCount(vehicle_type=self.vehicle_type, count=self.count),)


class Fleet(FleetMix):
    """The vehicles of one tier at each of its facilities, with per-county overrides."""

    counties: dict[Identifier, FleetMix] = Field(
        default_factory=dict,
        description="Per county id: the fleet of that county's facilities of this tier, replacing the tier's.",
    )

    def in_county(self, county_id: str) -> FleetMix:
        """The fleet of a facility of this tier in the given county."""
        return self.counties.get(county_id, self)

    @property
    def vehicle_type_names(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every vehicle type named, with its place under the fleet (for reference checks)."""
        named: list[tuple[tuple[str | int, ...], str]] = []
        for prefix, fleet in [((), self), *((("counties", county), mix) for county, mix in self.counties.items())]:
            if fleet.vehicles is None:
                assert fleet.vehicle_type is not None
                named.append(((*prefix, "vehicle_type"), fleet.vehicle_type))
            else:
                named += [
                    ((*prefix, "vehicles", i, "vehicle_type"), e.vehicle_type) for i, e in enumerate(fleet.vehicles)
                ]
        return named


class Fleets(SpecModel):
    """One fleet per tier."""

    trunk: Annotated[Fleet, Field(description="Hub → county parks and back, a pool at the hub.")] = Fleet(
        vehicle_type="trailer_17m5", count=40
    )
    park: Annotated[Fleet, Field(description="Each co-distribution park's shared last-mile fleet.")] = Fleet(
        vehicle_type="diesel_van", count=40
    )
    town: Annotated[Fleet, Field(description="Each town station's fleet, for two-leg last mile.")] = Fleet(
        vehicle_type="e_tricycle", count=3
    )
    depot: Annotated[Fleet, Field(description="Each outside carrier's own fleet in each county.")] = Fleet(
        vehicle_type="diesel_van", count=12
    )

    @model_validator(mode="before")
    @classmethod
    def _keep_tier_defaults(cls, data: Any) -> Any:
        """A tier written in part (``park: {count: 60}``) keeps the rest of its default fleet."""
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for tier, value in data.items():
            field = cls.model_fields.get(tier)
            if isinstance(value, dict) and field is not None and isinstance(field.default, Fleet):
                default = {"vehicle_type": field.default.vehicle_type, "count": field.default.count}
                if value.get("vehicles") is not None:
                    default = {}
                filled[tier] = {**default, **value}
        return filled

    def named(self) -> dict[str, Fleet]:
        """Fleets by tier name, in a fixed order."""
        return {"trunk": self.trunk, "park": self.park, "town": self.town, "depot": self.depot}
