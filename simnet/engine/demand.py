"""Demand: each day's parcels at the city hub (volume, arrival times, carrier, village) and village pickups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from simnet.engine.keyed_uniforms import FRESH_PRODUCE_SALT, keyed_uniforms
from simnet.engine.parcels import Columns
from simnet.engine.streams import RandomStreams
from simnet.scenario.models.demand import Demand

FloatArray = NDArray[np.float64]


class DemandSource(Protocol):
    """Where a replication's parcels come from; ``DemandModel`` draws them, tests may list them."""

    def volume(self, day: int, streams: RandomStreams) -> int:
        """Parcels arriving at the hub on ``day``."""
        ...

    def arrivals(self, day: int, count: int, streams: RandomStreams) -> FloatArray:
        """Their sorted arrival times, in hours since the run's start."""
        ...

    def destinations(self, day: int, count: int, streams: RandomStreams) -> tuple[NDArray[np.bool_], Columns]:
        """Which are rural, and the rural ones' carrier, village and sample flag."""
        ...

    def pickups(self, day: int, streams: RandomStreams) -> Columns:
        """Pickups appearing at village points: appear_h, village, carrier."""
        ...


@dataclass(frozen=True)
class DemandModel:
    """Everything needed to draw a day's parcels at one hub, fixed for a run."""

    demand: Demand
    parcels_per_day: float
    """The hub's mean parcels per (ordinary) day: its share of the city's."""
    rural_share: float
    """Share of the hub's parcels bound for its villages."""
    carrier_shares: FloatArray
    villages: NDArray[np.int64]
    """Village indices of the hub's villages (all the city's in a city of one hub)."""
    village_weights: FloatArray
    """Their demand weights, normalised over the hub's villages."""
    warmup_days: int
    sample_fraction: float

    def multiplier(self, day: int) -> float:
        """Peak-day multiplier of simulated day ``day`` (0-based, warm-up included)."""
        measured_day = day - self.warmup_days + 1
        for peak in self.demand.peak_days:
            if peak.day == measured_day:
                return peak.multiplier
        return 1.0

    def expected_parcels(self, day: int) -> float:
        """Mean number of parcels arriving on ``day``."""
        return self.parcels_per_day * self.multiplier(day)

    def volume(self, day: int, streams: RandomStreams) -> int:
        """Parcels arriving on ``day``: Poisson around the mean times a lognormal day factor (mean 1)."""
        rng = streams.generator("demand_volume", day)
        mean = self.expected_parcels(day)
        cv = self.demand.daily_volume_cv
        if cv > 0:
            sigma2 = np.log1p(cv**2)
            mean *= float(rng.lognormal(-sigma2 / 2, np.sqrt(sigma2)))
        return int(rng.poisson(mean))

    def arrivals(self, day: int, count: int, streams: RandomStreams) -> FloatArray:
        """Sorted arrival times (h since the run's start) spread over the day by the hourly profile."""
        rng = streams.generator("arrival_times", day)
        profile = np.asarray(self.demand.hourly_profile, dtype=np.float64)
        per_hour = rng.multinomial(count, profile / profile.sum())
        return 24.0 * day + sorted_uniforms_by_hour(per_hour, rng)

    def destinations(self, day: int, count: int, streams: RandomStreams) -> tuple[NDArray[np.bool_], Columns]:
        """Which parcels are rural, and each rural parcel's carrier, village and sample flag."""
        rng = streams.generator("destinations", day)
        rural = rng.random(count) < self.rural_share
        rural_count = int(rural.sum())
        village = self.villages[
            rng.choice(len(self.village_weights), size=rural_count, p=self.village_weights)
            if len(self.villages)
            else np.zeros(0, dtype=np.int64)  # a hub serving no county has no rural parcels
        ]
        sampled = rng.random(rural_count) < self.sample_fraction
        carriers = streams.generator("carriers", day)
        carrier = carriers.choice(len(self.carrier_shares), size=rural_count, p=self.carrier_shares)
        return rural, {
            "carrier": carrier.astype(np.int16),
            "village": village.astype(np.int32),
            "sampled": sampled,
        }

    def pickups(self, day: int, streams: RandomStreams) -> Columns:
        """Pickups appearing at village points on ``day``: Poisson per village, uniform in the window."""
        rng = streams.generator("pickups", day)
        mean = self.demand.pickups_per_village_per_day
        season = self.demand.farm_season
        if season is not None:
            mean *= season.multiplier(day)
        per_village = rng.poisson(mean, size=len(self.village_weights))
        count = int(per_village.sum())
        start_h = self.demand.pickup_start_h
        width_h = self.demand.pickup_end_h - start_h
        appear = 24.0 * day + start_h + width_h * rng.random(count)
        village = np.repeat(self.villages.astype(np.int32), per_village)
        carrier = rng.choice(len(self.carrier_shares), size=count, p=self.carrier_shares).astype(np.int16)
        order = np.argsort(appear, kind="stable")
        return {"appear_h": appear[order], "village": village[order], "carrier": carrier[order]}


def sorted_uniforms_by_hour(per_hour: NDArray[np.int64], rng: np.random.Generator) -> FloatArray:
    """Sorted uniform times within each hour h ∈ [h, h+1), ``per_hour[h]`` of them, without a sort.

    The order statistics of n uniforms are the partial sums of n + 1 exponentials divided by
    their total, which takes one pass instead of an n log n sort.
    """
    sizes = per_hour.astype(np.int64) + 1
    ends = np.cumsum(sizes)
    totals = rng.standard_exponential(int(ends[-1]))
    np.cumsum(totals, out=totals)
    result: FloatArray = np.empty(int(per_hour.sum()), dtype=np.float64)
    placed = 0
    for hour, (count, end) in enumerate(zip(per_hour.tolist(), ends.tolist(), strict=True)):
        start = end - count - 1
        base = totals[start - 1] if start > 0 else 0.0
        within = np.subtract(totals[start : end - 1], base, out=result[placed : placed + count])
        within /= totals[end - 1] - base
        within += hour
        placed += count
    return result


def fresh_flags(streams: RandomStreams, seq_in_hub: NDArray[np.int64], fresh_share: float) -> NDArray[np.bool_]:
    """Which of a hub's pickups are fresh produce: each is, with probability ``fresh_share``, by a keyed draw.

    The draw is keyed on the hub (``streams.hub_key``) and the pickup's seq within it, and takes nothing
    from the random streams, so a scenario with fresh produce keeps every other random number of the same
    scenario without it.
    """
    if fresh_share == 0:
        return np.zeros(len(seq_in_hub), dtype=bool)
    draws = keyed_uniforms(streams.seed, streams.replication, FRESH_PRODUCE_SALT, seq_in_hub, streams.hub_key or 0)
    flags: NDArray[np.bool_] = draws < fresh_share
    return flags
