"""The road network: listed explicitly (hub, counties, towns, villages, roads) or generated."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from simnet.scenario.errors import Path
from simnet.scenario.models.base import Identifier, NonNegativeFloat, PositiveFloat, RuleError, SpecModel

RoadClass = Literal["expressway", "highway", "county", "township", "village"]
"""Road classes, fastest first: 高速, 国省道, 县道, 乡道, 村道."""

Coordinate = Annotated[float, Field(ge=-10_000, le=10_000, description="Planar coordinate in km.")]
Longitude = Annotated[float, Field(ge=-180, le=180, description="Longitude in degrees east (WGS84).")]
Latitude = Annotated[float, Field(ge=-90, le=90, description="Latitude in degrees north (WGS84).")]

DETOUR_DESCRIPTION = (
    "Road length over straight-line distance where no length is given (implied links, listed roads without "
    "length_km). 1.3: road circuity factors of about 1.2–1.4 by country (Ballou, Rahardja & Sakai 2002, "
    "'Selected country circuity factors for road travel distance estimation', Transportation Research Part A "
    "36: 843–848)."
)


class TierRoadClasses(SpecModel):
    """Road class of each implied link (a network that lists no roads), by the lower tier of its two ends."""

    hub_to_park: Annotated[RoadClass, Field(description="Links whose lower end is a park: hub–park and park–park.")] = (
        "expressway"
    )
    park_to_town: Annotated[
        RoadClass, Field(description="Links whose lower end is a town: park–town and town–town.")
    ] = "county"
    town_to_village: Annotated[
        RoadClass, Field(description="Links to a village, from its park, a town or another village.")
    ] = "village"


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
    """A place, given on the plane (``x_km``, ``y_km``) or on the globe (``lon``, ``lat``): one pair, complete."""

    place_required: ClassVar[bool] = True
    """Whether a site without either pair is refused (the hub has a default place)."""

    x_km: Coordinate | None = None
    y_km: Coordinate | None = None
    lon: Longitude | None = None
    lat: Latitude | None = None

    @property
    def xy_km(self) -> tuple[float, float] | None:
        """The planar place, or None for a site given by ``lon``/``lat``."""
        return None if self.x_km is None or self.y_km is None else (self.x_km, self.y_km)

    @property
    def lon_lat(self) -> tuple[float, float] | None:
        """The WGS84 place in degrees, or None for a site given by ``x_km``/``y_km``."""
        return None if self.lon is None or self.lat is None else (self.lon, self.lat)

    @model_validator(mode="after")
    def _one_place(self) -> Site:
        pairs = (("x_km", self.x_km, "y_km", self.y_km), ("lon", self.lon, "lat", self.lat))
        for first, first_value, second, second_value in pairs:
            if (first_value is None) != (second_value is None):
                given, missing = (first, second) if second_value is None else (second, first)
                raise RuleError(f"{given} is given without {missing}.", (), f"give '{missing}' too")
        if self.xy_km is not None and self.lon_lat is not None:
            raise RuleError(
                "the site is placed twice, by x_km/y_km and by lon/lat.",
                (),
                "keep one pair: x_km/y_km in km, or lon/lat in degrees",
            )
        if self.xy_km is None and self.lon_lat is None and self.place_required:
            raise RuleError("the site has no place.", (), "add 'x_km' and 'y_km', or 'lon' and 'lat'")
        return self


class HubSite(Site):
    """The city sorting hub's site; placed at the origin (0, 0) km unless given."""

    place_required: ClassVar[bool] = False

    id: Identifier = "hub"
    name: str = "市级分拨中心"

    @property
    def xy_km(self) -> tuple[float, float] | None:
        """The planar place: the origin when the hub is given no place at all."""
        if self.x_km is None and self.lon_lat is None:
            return (0.0, 0.0)
        return super().xy_km


class Village(Site):
    """A village service point (村级快递服务点) and its share of the county's demand."""

    id: Identifier
    name: str = ""
    demand_weight: NonNegativeFloat = 1.0


class Town(Site):
    """A town and its station (乡镇快递综合服务站), with its villages."""

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
    """Either ``generate:`` a city, or list ``counties:`` (and optionally ``roads:``) yourself, in YAML or CSV."""

    generate: GeneratedNetwork | None = None
    hub: HubSite = HubSite()
    counties: tuple[County, ...] = ()
    roads: tuple[Road, ...] = ()
    sites_csv: Annotated[
        str | None,
        Field(
            min_length=1,
            description=(
                "CSV file of the parks, towns and villages (columns kind, id, name, county, town, x_km, y_km or "
                "lon, lat, demand_weight), relative to the scenario file. The loader reads it into 'counties', "
                "so the resolved scenario lists the sites."
            ),
        ),
    ] = None
    roads_csv: Annotated[
        str | None,
        Field(
            min_length=1,
            description=(
                "CSV file of the roads (columns from, to, road_class, length_km), relative to the scenario file. "
                "The loader reads it into 'roads'."
            ),
        ),
    ] = None
    road_classes: TierRoadClasses = TierRoadClasses()
    detour_factor: Annotated[float, Field(ge=1, le=5, description=DETOUR_DESCRIPTION)] = 1.3

    @property
    def uses_lon_lat(self) -> bool:
        """Whether the listed sites are placed by ``lon``/``lat`` (the validator makes them all alike)."""
        return bool(self.counties) and self.counties[0].park.lon_lat is not None

    @model_validator(mode="after")
    def _one_way_of_describing(self) -> Network:
        for field_name in ("sites_csv", "roads_csv"):
            if getattr(self, field_name) is not None:
                raise RuleError(
                    f"'{field_name}' names a file, which only the scenario loader reads.",
                    (field_name,),
                    "load the scenario from its file (simnet.scenario.load_scenario), which reads the CSV file",
                )
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
        return self

    def check_sites(self, hubs: Sequence[tuple[HubSite, Path]]) -> None:
        """Check the sites with the city's hubs (``network.hub``, or those of ``hubs:``), each with its place.

        Paths in the errors are from the scenario's root. A generated city is laid out in km, so its hubs are
        too; a listed one has unique ids, every site placed alike, and roads from known sites reaching all.
        """
        for hub, path in hubs:
            if self.generate is not None and hub.lon_lat is not None:
                raise RuleError(
                    "a generated city is laid out in km around the hub, so the hub cannot be placed by lon/lat.",
                    path,
                    "give the hub 'x_km' and 'y_km', or leave its place out (the origin)",
                )
        if self.counties:
            sites = self._site_paths(hubs)
            self._check_places(hubs)
            self._check_roads(sites, [hub.id for hub, _ in hubs])

    def _check_places(self, hubs: Sequence[tuple[HubSite, Path]]) -> None:
        """All listed sites are placed alike, by x_km/y_km or by lon/lat; a lon/lat network places its hubs too."""
        placed: list[tuple[Site, Path]] = []
        for c, county in enumerate(self.counties):
            placed.append((county.park, ("network", "counties", c, "park")))
            for t, town in enumerate(county.towns):
                placed.append((town, ("network", "counties", c, "towns", t)))
                placed.extend(
                    (village, ("network", "counties", c, "towns", t, "villages", v))
                    for v, village in enumerate(town.villages)
                )
        by_lon_lat = self.uses_lon_lat
        words = {True: "lon/lat", False: "x_km/y_km"}
        for site, path in placed:
            if (site.lon_lat is not None) != by_lon_lat:
                raise RuleError(
                    f"this site is placed by {words[not by_lon_lat]}, but the first park by {words[by_lon_lat]}.",
                    path,
                    f"place every site of the network by {words[by_lon_lat]} (or every one by {words[not by_lon_lat]})",
                )
        for hub, path in hubs:
            if by_lon_lat and hub.lon_lat is None:
                raise RuleError(
                    "the sites are placed by lon/lat, so the hub needs 'lon' and 'lat' too.",
                    path,
                    "add the hub's place, e.g. 'hub: {lon: 114.3, lat: 30.6}'",
                )
            if not by_lon_lat and hub.lon_lat is not None:
                raise RuleError(
                    "the hub is placed by lon/lat, but the sites by x_km/y_km.",
                    path,
                    "place the hub by 'x_km' and 'y_km' (or every site by lon/lat)",
                )

    def _site_paths(self, hubs: Sequence[tuple[HubSite, Path]]) -> dict[str, Path]:
        """Every site id and where it is written; ids must be unique across the network and the hubs."""
        sites: dict[str, Path] = {}
        entries: list[tuple[str, Path]] = [(hub.id, (*path, "id")) for hub, path in hubs]
        for c, county in enumerate(self.counties):
            entries.append((county.id, ("network", "counties", c, "id")))
            for t, town in enumerate(county.towns):
                entries.append((town.id, ("network", "counties", c, "towns", t, "id")))
                entries.extend(
                    (village.id, ("network", "counties", c, "towns", t, "villages", v, "id"))
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

    def _check_roads(self, sites: dict[str, Path], hub_ids: list[str]) -> None:
        """Roads join known sites, and every site can be reached from a hub."""
        if not self.roads:
            return
        neighbours: dict[str, set[str]] = {site: set() for site in sites}
        for index, road in enumerate(self.roads):
            for field_name, alias, site in (("start", "from", road.start), ("end", "to", road.end)):
                if site not in sites:
                    raise RuleError(
                        f"road {alias} {site!r}: no hub, county, town or village has this id.",
                        ("network", "roads", index, alias),
                        f"use one of the ids listed in the network (field {field_name})",
                    )
            neighbours[road.start].add(road.end)
            neighbours[road.end].add(road.start)
        reached = set(hub_ids)
        frontier = deque(hub_ids)
        while frontier:
            for nxt in neighbours[frontier.popleft()] - reached:
                reached.add(nxt)
                frontier.append(nxt)
        for site_id, path in sites.items():
            if site_id not in reached:
                raise RuleError(
                    f"{site_id!r} cannot be reached from a hub over the listed roads.",
                    path,
                    f"add a road that connects {site_id!r} to the rest of the network",
                )
