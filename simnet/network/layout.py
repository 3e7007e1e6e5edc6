"""Where the hubs, parks, towns and villages lie, before roads join them; site order is fixed here."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from simnet.scenario.errors import Path

HUB, PARK, TOWN, VILLAGE = 0, 1, 2, 3
"""Site kinds, as stored in ``CityNetwork.site_kind``."""


@dataclass(frozen=True, eq=False)
class Layout:
    """Sites by tier; site indices run hubs (0, 1, …), parks by county, towns, then villages, in list order."""

    hub_ids: tuple[str, ...]
    hub_xy_km: npt.NDArray[np.float64]  # (hubs, 2)
    county_ids: tuple[str, ...]
    county_names: tuple[str, ...]
    park_xy_km: npt.NDArray[np.float64]  # (counties, 2)
    town_ids: tuple[str, ...]
    town_county: npt.NDArray[np.int64]  # county index of each town
    town_xy_km: npt.NDArray[np.float64]  # (towns, 2)
    village_ids: tuple[str, ...]
    village_town: npt.NDArray[np.int64]  # town position (0 = first town) of each village
    village_xy_km: npt.NDArray[np.float64]  # (villages, 2)
    village_weight: npt.NDArray[np.float64]
    site_paths: dict[int, Path] = field(default_factory=dict)

    @property
    def first_town(self) -> int:
        """Site index of the first town."""
        return len(self.hub_ids) + len(self.county_ids)

    @property
    def first_village(self) -> int:
        """Site index of the first village."""
        return self.first_town + len(self.town_ids)

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Every site's id in site order; a park takes its county's id."""
        return (*self.hub_ids, *self.county_ids, *self.town_ids, *self.village_ids)
