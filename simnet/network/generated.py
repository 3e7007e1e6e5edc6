"""A plausible city drawn at random: parks around the hubs, towns around parks, villages around towns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from simnet.network.layout import Layout
from simnet.scenario.models.network import GeneratedNetwork, HubSite

LAYOUT_SPAWN_KEY = 2**32 - 1
"""Spawn key of the layout's seed sequence under the layout seed. Replications are children 0, 1, … of the
scenario seed, so a key far past any replication index keeps the city from sharing their random numbers."""

STREAMS = ("parks", "towns", "villages", "weights")
"""Child streams of the layout seed, in spawn order; each tier draws from its own so that, for example,
more villages per town do not move the parks."""


def generated_layout(spec: GeneratedNetwork, hubs: Sequence[HubSite]) -> Layout:
    """Draw the sites of ``spec`` reproducibly from its own seed (not the run's: the city stays put).

    Parks lie around the hubs' centre (the hub itself in a city of one).
    """
    children = np.random.SeedSequence(spec.seed, spawn_key=(LAYOUT_SPAWN_KEY,)).spawn(len(STREAMS))
    rngs = {name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)}
    assert all(hub.xy_km is not None for hub in hubs), "the network model refuses a lon/lat hub in a generated city"
    hub_xy = np.array([hub.xy_km for hub in hubs], dtype=np.float64)
    park_xy = _uniform_in_discs(rngs["parks"], hub_xy.mean(axis=0, keepdims=True), spec.radius_km, spec.counties)
    town_xy = _uniform_in_discs(rngs["towns"], park_xy, spec.county_radius_km, spec.towns_per_county)
    village_xy = _uniform_in_discs(rngs["villages"], town_xy, spec.town_radius_km, spec.villages_per_town)
    county_ids = _numbered("c", spec.counties)
    town_ids = tuple(f"{county}-{town}" for county in county_ids for town in _numbered("t", spec.towns_per_county))
    village_ids = tuple(f"{town}-{village}" for town in town_ids for village in _numbered("v", spec.villages_per_town))
    return Layout(
        hub_ids=tuple(hub.id for hub in hubs),
        hub_xy_km=hub_xy,
        county_ids=county_ids,
        county_names=tuple(f"县{number}" for number in _numbered("", spec.counties)),
        park_xy_km=park_xy,
        town_ids=town_ids,
        town_county=np.repeat(np.arange(spec.counties, dtype=np.int64), spec.towns_per_county),
        town_xy_km=town_xy,
        village_ids=village_ids,
        village_town=np.repeat(np.arange(len(town_ids), dtype=np.int64), spec.villages_per_town),
        village_xy_km=village_xy,
        village_weight=_lognormal_weights(rngs["weights"], len(village_ids), spec.village_weight_cv),
    )


def _uniform_in_discs(
    rng: np.random.Generator, centres_km: npt.NDArray[np.float64], radius_km: float, per_centre: int
) -> npt.NDArray[np.float64]:
    """``per_centre`` points uniform over the disc of ``radius_km`` around each centre, centre by centre."""
    count = len(centres_km) * per_centre
    distance_km = radius_km * np.sqrt(rng.random(count))
    angle = 2 * np.pi * rng.random(count)
    offsets = np.column_stack((distance_km * np.cos(angle), distance_km * np.sin(angle)))
    return np.repeat(centres_km, per_centre, axis=0) + offsets


def _lognormal_weights(rng: np.random.Generator, count: int, cv: float) -> npt.NDArray[np.float64]:
    """Demand weights with mean 1 and coefficient of variation ``cv``; all 1 when ``cv`` is 0."""
    if cv == 0:
        return np.ones(count)
    sigma2 = np.log1p(cv**2)
    return rng.lognormal(mean=-sigma2 / 2, sigma=np.sqrt(sigma2), size=count)


def _numbered(prefix: str, count: int) -> tuple[str, ...]:
    """``c01``, ``c02``, …: numbers from 1, zero-padded to at least two digits so ids sort in order."""
    width = max(2, len(str(count)))
    return tuple(f"{prefix}{number:0{width}d}" for number in range(1, count + 1))
