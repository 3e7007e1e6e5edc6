"""The road network: listed explicitly (hub, counties, towns, villages, roads) or generated."""

from __future__ import annotations

from collections import deque
from typing import Annotated, Literal

from pydantic import Field, model_validator

from simnet.scenario.errors import Path
from simnet.scenario.models.base import Identifier, NonNegativeFloat, PositiveFloat, RuleError, SpecModel

RoadClass = Literal["expressway", "highway", "county", "township", "village"]
"""Road classes, fastest first: 高速, 国省道, 县道, 乡道, 村道."""

Coordinate = Annotated[float, Field(ge=-10_000, le=10_000, description="Planar coordinate in km.")]


class TierRoadClasses(SpecModel):
    """Road class of each implied link when the network does not list its roads."""

    hub_to_park: RoadClass = "expressway"
    park_to_town: RoadClass = "county"
    town_to_village: RoadClass = "village"


class GeneratedNetwork(SpecModel):
    """A plausible city drawn at random: counties around the hub, towns around parks, villages around towns."""

    counties: Annotated[int, Field(ge=1, le=200)] = 10
    towns_per_county: Annotated[int, Field(ge=1, le=100)] = 14
    villages_per_town: Annotated[int, Field(ge=1, le=200)] = 16
    radius_km: Annotated[
        float, Field(gt=0, le=2_000, description="County parks lie within this distance of the hub.")
    ] = 60.0
    county_radius_km: Annotated[
        float, Field(gt=0, le=500, description="Towns lie within this distance of their park.")
    ] = 25.0
    town_radius_km: Annotated[
        float, Field(gt=0, le=200, description="Villages lie within this distance of their town.")
    ] = 6.0
    village_weight_cv: Annotated[
        float, Field(ge=0, le=5, description="Spread (coefficient of variation) of villages' demand weights.")
    ] = 0.5
    seed: Annotated[
        int,
        Field(
            ge=0,
            lt=2**63,
            description="Seed of the layout, apart from the scenario seed: a new run seed varies demand, not the city.",
        ),
    ] = 1


class Site(SpecModel):
    """A place on the plane."""

    x_km: Coordinate
    y_km: Coordinate


class HubSite(Site):
    """The city sorting hub's site."""

    id: Identifier = "hub"
    name: str = "市级分拨中心"
    x_km: Coordinate = 0.0
    y_km: Coordinate = 0.0


class Village(Site):
    """A village service point (村级快递服务点) and its share of the county's demand."""

    id: Identifier
    name: str = ""
    demand_weight: NonNegativeFloat = 1.0


class Town(Site):
    """A town and its station (乡镇快递综合服务站), at ``x_km, y_km``, with its villages."""

    id: Identifier
    name: str = ""
    villages: Annotated[tuple[Village, ...], Field(min_length=1)]


class County(SpecModel):
    """A county, its co-distribution park (县级共配园区) and its towns."""

    id: Identifier
    name: str = ""
    park: Site
    towns: Annotated[tuple[Town, ...], Field(min_length=1)]


class Road(SpecModel):
    """A two-way road between two sites; its length defaults to the straight line times the detour factor."""

    start: Identifier = Field(alias="from")
    end: Identifier = Field(alias="to")
    road_class: RoadClass
    length_km: PositiveFloat | None = None


class Network(SpecModel):
    """Either ``generate:`` a city, or list ``counties:`` (and optionally ``roads:``) yourself."""

    generate: GeneratedNetwork | None = None
    hub: HubSite = HubSite()
    counties: tuple[County, ...] = ()
    roads: tuple[Road, ...] = ()
    road_classes: TierRoadClasses = TierRoadClasses()
    detour_factor: Annotated[
        float, Field(ge=1, le=5, description="Road length over straight-line distance where no length is given.")
    ] = 1.3

    @model_validator(mode="after")
    def _one_way_of_describing(self) -> Network:
        if self.generate is None and not self.counties:
            raise RuleError(
                "the network needs either 'generate' or a list of 'counties'.",
                (),
                "add 'generate: {counties: 10}' for a generated city, or list the counties",
            )
        if self.generate is not None and (self.counties or self.roads):
            raise RuleError(
                "give either 'generate' or explicit 'counties'/'roads', not both.",
                ("generate",),
                "remove 'generate' to use the listed counties (or set 'generate: null' in a variant)",
            )
        if self.counties:
            sites = self._site_paths()
            self._check_roads(sites)
        return self

    def _site_paths(self) -> dict[str, Path]:
        """Every site id and where it is written; ids must be unique across the network."""
        sites: dict[str, Path] = {self.hub.id: ("hub", "id")}
        entries: list[tuple[str, Path]] = []
        for c, county in enumerate(self.counties):
            entries.append((county.id, ("counties", c, "id")))
            for t, town in enumerate(county.towns):
                entries.append((town.id, ("counties", c, "towns", t, "id")))
                entries.extend(
                    (village.id, ("counties", c, "towns", t, "villages", v, "id"))
                    for v, village in enumerate(town.villages)
                )
        for site_id, path in entries:
            if site_id in sites:
                raise RuleError(
                    f"id {site_id!r} is used twice in the network.",
                    path,
                    "give every hub, county, town and village its own id (a county's park takes the county's id)",
                )
            sites[site_id] = path
        return sites

    def _check_roads(self, sites: dict[str, Path]) -> None:
        """Roads join known sites, and every village can be reached from the hub."""
        if not self.roads:
            return
        neighbours: dict[str, set[str]] = {site: set() for site in sites}
        for index, road in enumerate(self.roads):
            for field_name, alias, site in (("start", "from", road.start), ("end", "to", road.end)):
                if site not in sites:
                    raise RuleError(
                        f"road {alias} {site!r}: no hub, county, town or village has this id.",
                        ("roads", index, alias),
                        f"use one of the ids listed in the network (field {field_name})",
                    )
            neighbours[road.start].add(road.end)
            neighbours[road.end].add(road.start)
        reached = {self.hub.id}
        frontier = deque([self.hub.id])
        while frontier:
            for nxt in neighbours[frontier.popleft()] - reached:
                reached.add(nxt)
                frontier.append(nxt)
        for site_id, path in sites.items():
            if site_id not in reached:
                raise RuleError(
                    f"{site_id!r} cannot be reached from the hub over the listed roads.",
                    path,
                    f"add a road that connects {site_id!r} to the rest of the network",
                )
