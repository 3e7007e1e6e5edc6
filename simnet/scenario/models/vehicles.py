"""Vehicle types (capacity, speed by road class, costs, energy, range) and the fleet of each tier."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from simnet.scenario.models.base import Identifier, NonNegativeFloat, PositiveCount, PositiveFloat, SpecModel
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


class Fleet(SpecModel):
    """The vehicles of one tier: a type from ``vehicle_types`` and how many each facility has."""

    vehicle_type: Identifier
    count: Annotated[
        PositiveCount, Field(description="Vehicles at each facility of the tier (hub, park, station, depot).")
    ]


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
                filled[tier] = {**field.default.model_dump(), **value}
        return filled

    def named(self) -> dict[str, Fleet]:
        """Fleets by tier name, in a fixed order."""
        return {"trunk": self.trunk, "park": self.park, "town": self.town, "depot": self.depot}
