"""The whole scenario and the rules that tie its sections together."""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from simnet.scenario.errors import Path
from simnet.scenario.models.base import RuleError, SpecModel
from simnet.scenario.models.bus_lines import BusLines
from simnet.scenario.models.costs import Costs, Emissions
from simnet.scenario.models.demand import Carrier, Demand, check_carrier_shares
from simnet.scenario.models.facilities import WEEKDAYS, Hub, Parks, Service
from simnet.scenario.models.hubs import ListedHub, single_hub
from simnet.scenario.models.network import GeneratedNetwork, HubSite, Network
from simnet.scenario.models.points import PickupPoints
from simnet.scenario.models.shippers import Shipper
from simnet.scenario.models.sweep import Sweep
from simnet.scenario.models.targets import Targets
from simnet.scenario.models.vehicles import DEFAULT_VEHICLE_TYPES, Fleet, Fleets, VehicleType

# Reference §1.2 "Default for a 6-carrier county park" (E).
DEFAULT_CARRIERS = (
    Carrier(id="zto", name="中通", share=0.25),
    Carrier(id="yto", name="圆通", share=0.18),
    Carrier(id="yunda", name="韵达", share=0.16),
    Carrier(id="sto", name="申通", share=0.15),
    Carrier(id="jt", name="极兔", share=0.13),
    Carrier(id="ems", name="邮政/EMS 及其他", share=0.13),
)


class Output(SpecModel):
    """What a run keeps besides the statistics."""

    parcel_sample_size: Annotated[
        int, Field(ge=0, le=10_000_000, description="Parcels whose full record is kept for analysts.")
    ] = 10_000


class Scenario(SpecModel):
    """A city's three-tier express network and the policy to simulate on it."""

    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    seed: Annotated[int, Field(ge=0, lt=2**63)] = 20261124
    horizon_days: Annotated[int, Field(ge=1, le=3660, description="Simulated days measured, after warm-up.")] = 7
    warmup_days: Annotated[int, Field(ge=0, le=365, description="Days simulated first and not measured.")] = 1
    drain_days: Annotated[
        int,
        Field(
            ge=0,
            le=365,
            description="Days at most simulated after the horizon so its parcels can finish; fewer once all have.",
        ),
    ] = 3
    replications: Annotated[int, Field(ge=1, le=10_000)] = 5
    carriers: Annotated[tuple[Carrier, ...], Field(min_length=1)] = DEFAULT_CARRIERS
    demand: Demand
    network: Network = Network(generate=GeneratedNetwork())
    hub: Annotated[Hub | None, Field(description="The city's one sorting hub; a city of several lists 'hubs'.")] = None
    hubs: Annotated[
        tuple[ListedHub, ...] | None,
        Field(min_length=1, description="The city's sorting hubs, each with its place, counties and trunk fleet."),
    ] = None
    parks: Parks = Parks()
    service: Service = Service()
    vehicle_types: Annotated[dict[str, VehicleType], Field(min_length=1)] = DEFAULT_VEHICLE_TYPES
    fleets: Fleets = Fleets()
    costs: Costs = Costs()
    emissions: Emissions = Emissions()
    output: Output = Output()
    targets: Annotated[
        Targets, Field(description="The plan's targets the scorecard and 'simnet compare --fail-if targets' check.")
    ] = Targets()
    sweep: Annotated[Sweep | None, Field(description="Values to run as a sweep with 'simnet sweep'.")] = None
    bus_lines: Annotated[BusLines | None, Field(description="Parcels on scheduled rural bus lines.")] = None
    shippers: Annotated[
        tuple[Shipper, ...],
        Field(description="Factories and e-commerce parks sending parcels out on line-haul (快递进厂)."),
    ] = ()
    village_points: Annotated[
        PickupPoints | None, Field(description="Village points' opening hours and lockers; absent: always open.")
    ] = None
    town_stations: Annotated[
        PickupPoints | None, Field(description="Final-stop town stations' hours and lockers; absent: always open.")
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _keep_default_vehicle_types(cls, data: Any) -> Any:
        """Listed vehicle types join the default ones; a default type written in part keeps its other fields."""
        if not isinstance(data, dict) or not isinstance(data.get("vehicle_types"), dict):
            return data
        merged: dict[str, Any] = {
            name: vehicle.model_dump(by_alias=True) for name, vehicle in DEFAULT_VEHICLE_TYPES.items()
        }
        for name, vehicle in data["vehicle_types"].items():
            default = merged.get(name)
            merged[name] = (
                {**default, **vehicle} if isinstance(default, dict) and isinstance(vehicle, dict) else vehicle
            )
        return {**data, "vehicle_types": merged}

    @field_validator("carriers")
    @classmethod
    def _carriers_add_up(cls, carriers: tuple[Carrier, ...]) -> tuple[Carrier, ...]:
        check_carrier_shares(carriers)
        return carriers

    @model_validator(mode="after")
    def _references_resolve(self) -> Scenario:
        carrier_ids = [carrier.id for carrier in self.carriers]
        for index, carrier_id in enumerate(self.parks.consolidated_carriers or ()):
            if carrier_id not in carrier_ids:
                raise RuleError(
                    f"carrier {carrier_id!r} is not among the scenario's carriers.",
                    ("parks", "consolidated_carriers", index),
                    _choose_hint(carrier_id, carrier_ids, "carrier"),
                )
        for tier, fleet in self.fleets.named().items():
            for place, name in fleet.vehicle_type_names:
                if name not in self.vehicle_types:
                    raise RuleError(
                        f"vehicle type {name!r} is not defined in vehicle_types.",
                        ("fleets", tier, *place),
                        _choose_hint(name, list(self.vehicle_types), "vehicle type"),
                    )
        trunks: list[tuple[Fleet, Path]] = [(self.fleets.trunk, ("fleets", "trunk"))]
        trunks += [(hub.trunk, ("hubs", index, "trunk")) for index, hub in enumerate(self.hubs or ()) if hub.trunk]
        for trunk, path in trunks:
            if trunk.vehicles is not None or trunk.counties:
                raise RuleError(
                    "the trunk pool has one vehicle type: give vehicle_type and count.",
                    (*path, "vehicles" if trunk.vehicles is not None else "counties"),
                    "write the trunk fleet as {vehicle_type: ..., count: ...}",
                )
            for place, name in trunk.vehicle_type_names:
                if name not in self.vehicle_types:
                    raise RuleError(
                        f"vehicle type {name!r} is not defined in vehicle_types.",
                        (*path, *place),
                        _choose_hint(name, list(self.vehicle_types), "vehicle type"),
                    )
        shipper_ids: dict[str, int] = {}
        for index, shipper in enumerate(self.shippers):
            if shipper.id in shipper_ids:
                raise RuleError(
                    f"shipper id {shipper.id!r} is used by shippers {shipper_ids[shipper.id]} and {index}.",
                    ("shippers", index, "id"),
                    "give every shipper its own id",
                )
            shipper_ids[shipper.id] = index
            if shipper.collected_by == "dedicated_van" and shipper.vehicle_type not in self.vehicle_types:
                raise RuleError(
                    f"vehicle type {shipper.vehicle_type!r} is not defined in vehicle_types.",
                    ("shippers", index, "vehicle_type"),
                    _choose_hint(shipper.vehicle_type, list(self.vehicle_types), "vehicle type"),
                )
        for index, peak in enumerate(self.demand.peak_days):
            if peak.day > self.horizon_days:
                raise RuleError(
                    f"peak day {peak.day} lies beyond the {self.horizon_days}-day horizon.",
                    ("demand", "peak_days", index, "day"),
                    f"use a day from 1 to {self.horizon_days}, or lengthen horizon_days",
                )
        season = self.demand.farm_season
        if season is not None and WEEKDAYS[season.first_day.weekday()] != self.service.start_weekday:
            raise RuleError(
                f"the first day {season.first_day.isoformat()} is a {WEEKDAYS[season.first_day.weekday()]}, "
                f"but service.start_weekday is {self.service.start_weekday}.",
                ("demand", "farm_season", "first_day"),
                "make them agree: move the date, or set service.start_weekday to its weekday",
            )
        return self

    @model_validator(mode="after")
    def _one_way_of_giving_hubs(self) -> Scenario:
        if self.hub is None and self.hubs is None:
            raise RuleError(
                "the scenario needs a hub.",
                ("hub",),
                "add 'hub: {capacity_per_day: 5_000_000}', or list several under 'hubs'",
            )
        if self.hub is not None and self.hubs is not None:
            raise RuleError(
                "give 'hub' (one hub) or 'hubs' (a list), not both.",
                ("hub",),
                "move the hub's fields into an entry of 'hubs', or set 'hubs: null' in a variant",
            )
        if self.hubs is not None and self.network.hub != HubSite():
            raise RuleError(
                "with 'hubs', each hub's place is given in its entry, so 'network.hub' is not used.",
                ("network", "hub"),
                "move the place (x_km/y_km or lon/lat) and id into the entries of 'hubs'",
            )
        if self.hubs is not None:
            self._check_listed_hubs(self.hubs)
        self.network.check_sites(
            [(hub.site, ("hubs", index)) for index, hub in enumerate(self.hubs)]
            if self.hubs is not None
            else [(self.network.hub, ("network", "hub"))]
        )
        return self

    @staticmethod
    def _check_listed_hubs(hubs: tuple[ListedHub, ...]) -> None:
        """Hub ids are unique, a county is listed by one hub at most, urban shares are given for all or none."""
        seen: dict[str, int] = {}
        for index, hub in enumerate(hubs):
            for county_index, county in enumerate(hub.counties or ()):
                if county in seen:
                    raise RuleError(
                        f"county {county!r} is listed by hubs {seen[county]} and {index}.",
                        ("hubs", index, "counties", county_index),
                        "let each county be served by one hub",
                    )
                seen[county] = index
        shares = [hub.urban_share for hub in hubs]
        if any(share is not None for share in shares):
            if any(share is None for share in shares):
                missing = shares.index(None)
                raise RuleError(
                    "urban_share is given for some hubs but not this one.",
                    ("hubs", missing, "urban_share"),
                    "give urban_share for every hub (they add up to 1), or for none",
                )
            total = sum(share for share in shares if share is not None)
            if abs(total - 1) > 1e-6:
                raise RuleError(
                    f"the hubs' urban shares add up to {total:g}, not 1.",
                    ("hubs", 0, "urban_share"),
                    "make the urban shares add up to 1",
                )

    @property
    def all_hubs(self) -> tuple[ListedHub, ...]:
        """The city's hubs as listed, or its one hub (``hub`` at ``network.hub``) serving every county."""
        if self.hubs is not None:
            return self.hubs
        assert self.hub is not None
        return (single_hub(self.hub, self.network.hub),)

    @property
    def hub_capacity_per_day(self) -> float:
        """What the city's hubs sort in a day together, without breakdowns."""
        return sum(hub.daily_capacity for hub in self.all_hubs)

    @property
    def consolidated_carrier_ids(self) -> tuple[str, ...]:
        """Carriers in the co-distribution park: the listed ones, or the largest by share."""
        if self.parks.consolidated_carriers is not None:
            return self.parks.consolidated_carriers
        share = self.parks.consolidated_share or 0.0
        count = round(share * len(self.carriers))
        by_size = sorted(self.carriers, key=lambda carrier: (-carrier.share, carrier.id))
        return tuple(carrier.id for carrier in by_size[:count])


def _choose_hint(found: str, valid: list[str], noun: str) -> str:
    close = difflib.get_close_matches(found, valid, n=1, cutoff=0.5)
    listing = ", ".join(repr(name) for name in valid)
    if close:
        return f"did you mean {close[0]!r}? The {noun}s are: {listing}"
    return f"use one of the {noun}s: {listing}"
