"""The city's sorting hubs when it has several (``hubs:``): each a site, a sorting facility and its counties."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from simnet.scenario.models.base import Identifier, Share
from simnet.scenario.models.facilities import Hub
from simnet.scenario.models.network import HubSite, Site
from simnet.scenario.models.vehicles import Fleet


class ListedHub(Hub, Site):
    """One city hub (市级分拨中心): where it lies, how it sorts, which counties it serves and its trunk fleet."""

    id: Identifier
    name: str = ""
    counties: Annotated[
        tuple[Identifier, ...] | None,
        Field(
            description="Ids of the counties this hub serves, exactly ([]: none); left out: the counties no hub "
            "lists that are nearer to it by road than to any other hub without a list."
        ),
    ] = None
    urban_share: Annotated[
        Share | None,
        Field(
            description="Share of the city's urban parcels sorted here; give it for every hub or for none "
            "(then each hub's share of rural demand)."
        ),
    ] = None
    trunk: Annotated[
        Fleet | None, Field(description="Trunk trucks of this hub (vehicle_type, count); none: fleets.trunk.")
    ] = None

    @property
    def site(self) -> HubSite:
        """The hub's site, for the network."""
        return HubSite(
            id=self.id, name=self.name or self.id, x_km=self.x_km, y_km=self.y_km, lon=self.lon, lat=self.lat
        )


def single_hub(hub: Hub, site: HubSite) -> ListedHub:
    """The one hub of a city written with ``hub:`` (and ``network.hub``), as a listed hub serving every county."""
    place = {"x_km": site.x_km, "y_km": site.y_km, "lon": site.lon, "lat": site.lat}
    if site.x_km is None and site.lon is None:
        place["x_km"], place["y_km"] = site.xy_km or (0.0, 0.0)
    return ListedHub.model_validate({"id": site.id, "name": site.name, **place, **hub.model_dump(by_alias=True)})
