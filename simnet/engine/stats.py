"""Streaming parcel statistics: finished parcels are folded into counts, sums and histograms."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simnet.engine.parcels import Columns, take_rows

if TYPE_CHECKING:
    from simnet.engine.hub_tally import HubTally

PICKUP_GROUPS = ("pickups", "fresh_pickups", "pickups_out", "pickup_time_sum_h", "fresh_on_time")
"""Per-county sums of the upward flow: measured pickups (fresh ones), those that left by the end, their time."""

HISTOGRAM_BIN_H = 1 / 60
"""Delivery-time histogram resolution: one minute, so percentiles are exact to the minute."""

FLUSH_ROWS = 2_000_000
"""Deliveries buffered before they are folded into the histograms (bounds memory, amortises the folding)."""

HISTOGRAM_SPAN_H = 24 * 60
"""Delivery times up to 60 days are binned; longer ones go to the last bin (and the exact mean)."""


def _zeros(size: int) -> NDArray[np.float64]:
    return np.zeros(size, dtype=np.float64)


@dataclass
class LineUse:
    """A sorting line's work inside the measured window, for its utilisation."""

    tier: str
    county: int
    carrier: int
    capacity_in_window: float
    sorted_in_window: int = 0

    def count(self, done_h: NDArray[np.float64], window_start_h: float, window_end_h: float) -> None:
        """Add the parcels of a batch that finish sorting inside the window (``done_h`` nondecreasing, as FIFO)."""
        start, end = np.searchsorted(done_h, (window_start_h, window_end_h), side="left")
        self.sorted_in_window += int(end - start)

    @property
    def utilization(self) -> float:
        """Parcels sorted over the capacity the line offered."""
        return self.sorted_in_window / self.capacity_in_window if self.capacity_in_window else float("nan")


@dataclass
class ParcelStats:
    """What the run measured about parcels: arrivals in the window and what became of them."""

    window_start_h: float
    window_end_h: float
    end_h: float
    counties: int
    carriers: int
    villages: int
    horizon_days: int
    parcels_in: int = 0
    rural_in: int = 0
    urban_delivered: int = 0
    rural_delivered: int = 0
    in_transit_at_end: int = 0
    delivered_at_village: int = 0
    co_delivered: int = 0
    delivery_time_sum_h: float = 0.0
    on_time_24h: int = 0
    on_time_48h: int = 0
    hub_wait_sum_h: float = 0.0
    hub_sorted: int = 0
    hub_queue_max: int = 0
    pickups_in: int = 0
    pickups_at_hub: int = 0
    pickup_time_sum_h: float = 0.0
    fresh_in: int = 0
    """Measured pickups that are fresh produce."""
    fresh_on_time: int = 0
    """Those of them that left the model within ``fresh_max_h`` of appearing."""
    fresh_max_h: float = math.inf
    pickup_histogram: NDArray[np.float64] = field(
        default_factory=lambda: _zeros(int(HISTOGRAM_SPAN_H / HISTOGRAM_BIN_H) + 1)
    )
    """Measured pickups that left the model by the end, by time from appearing (bins as ``histogram``)."""
    pickups_finished: int = 0
    """Measured pickups that reached the hub, whenever they did (``pickups_at_hub`` counts those by the end)."""
    last_finish_h: float = 0.0
    """The latest time a measured unit finished so far: sorted at the hub, delivered, or brought to the hub."""
    histogram: NDArray[np.float64] = field(default_factory=lambda: _zeros(int(HISTOGRAM_SPAN_H / HISTOGRAM_BIN_H) + 1))
    by_county: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    by_carrier: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    by_day: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    village_served: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    village_delivered: NDArray[np.float64] = field(default_factory=lambda: _zeros(0))
    village_delivered_at_point: NDArray[np.float64] = field(default_factory=lambda: _zeros(0))
    sample: list[Columns] = field(default_factory=list)
    lines: list[LineUse] = field(default_factory=list)
    county_of_village: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _pending: list[tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any], bool]] = field(default_factory=list)
    _pending_rows: int = 0

    def __post_init__(self) -> None:
        names = ("delivered", "time_sum_h", "on_time_24h", "arrived")
        self.by_county = {name: _zeros(self.counties) for name in names}
        self.by_county.update({name: _zeros(self.counties) for name in PICKUP_GROUPS})
        self.by_carrier = {name: _zeros(self.carriers) for name in names}
        self.by_day = {name: _zeros(self.horizon_days) for name in ("arrived", "delivered", "rural_arrived")}
        self.village_served = np.zeros((self.villages, self.horizon_days), dtype=bool)
        self.village_delivered = _zeros(self.villages)
        self.village_delivered_at_point = _zeros(self.villages)

    def line(self, tier: str, county: int, carrier: int, capacity_at: Any) -> LineUse:
        """Register a sorting line; ``capacity_at`` is its C(t), to measure the capacity in the window."""
        offered = float(capacity_at(self.window_end_h) - capacity_at(self.window_start_h))
        use = LineUse(tier, county, carrier, offered)
        self.lines.append(use)
        return use

    def measured(self, arrival_h: NDArray[Any]) -> NDArray[np.bool_]:
        """Which parcels arrived at the hub inside the measured window."""
        return (arrival_h >= self.window_start_h) & (arrival_h < self.window_end_h)

    def window_slice(self, arrival_h: NDArray[np.float64]) -> slice:
        """The measured parcels of a batch sorted by arrival: those arriving inside the window, a slice."""
        start, end = np.searchsorted(arrival_h, (self.window_start_h, self.window_end_h), side="left")
        return slice(int(start), int(end))

    def record_hub(
        self,
        arrival_h: NDArray[np.float64],
        done_h: NDArray[np.float64],
        rural: NDArray[np.bool_],
        hub: HubTally,
        queue_max: int,
    ) -> None:
        """Count arrivals at a hub, their sorting waits and the urban parcels leaving, for the city and the hub.

        The arrivals and their finish times are both in time order (one FIFO line), so the measured
        ones, those finished by the end and the counts per day and hour are found by bisection
        instead of by passes over every parcel. ``queue_max`` is the hub's longest queue among them.
        """
        inside = self.window_slice(arrival_h)
        arrived_h, finish_h, rural_inside = arrival_h[inside], done_h[inside], rural[inside]
        parcels = len(arrived_h)
        rural_count = int(np.count_nonzero(rural_inside))
        by_end = int(np.searchsorted(finish_h, self.end_h, side="right"))
        if len(finish_h):
            self.last_finish_h = max(self.last_finish_h, float(finish_h[-1]))
        waited_h = float((finish_h[:by_end] - arrived_h[:by_end]).sum())
        rural_by_end = int(np.count_nonzero(rural_inside[:by_end]))
        for tally in (self, hub):
            tally.parcels_in += parcels
            tally.rural_in += rural_count
            tally.urban_delivered += by_end - rural_by_end
        self.hub_sorted += by_end
        self.hub_wait_sum_h += waited_h
        self.hub_queue_max = max(self.hub_queue_max, queue_max)
        hub.sorted_by_end += by_end
        hub.wait_sum_h += waited_h
        hub.urban_backlog += (parcels - by_end) - (rural_count - rural_by_end)
        hub.queue_max = max(hub.queue_max, queue_max)
        day_starts = np.searchsorted(arrived_h, self.window_start_h + 24.0 * np.arange(self.horizon_days + 1))
        self.by_day["arrived"] += np.diff(day_starts)
        self.by_day["rural_arrived"] += [
            np.count_nonzero(rural_inside[start:end]) for start, end in itertools.pairwise(day_starts.tolist())
        ]
        hours = np.arange(len(hub.arrivals_by_hour) + 1, dtype=np.float64)
        hours[-1] = np.inf  # the last hour also counts what arrives after the end
        hub.arrivals_by_hour += np.diff(np.searchsorted(arrival_h, hours, side="left"))
        hours[-1] = self.end_h
        hub.sorted_by_hour += np.diff(np.searchsorted(done_h, hours, side="left"))

    def record_rural_arrivals(self, columns: Columns) -> None:
        """Count measured rural arrivals per county and carrier (for per-group shares)."""
        inside = self.measured(columns["arrival_h"])
        county = self.county_of_village[columns["village"][inside]]
        self.by_county["arrived"] += np.bincount(county, minlength=self.counties)
        self.by_carrier["arrived"] += np.bincount(columns["carrier"][inside], minlength=self.carriers)

    def record_delivered(
        self,
        columns: Columns,
        delivered_h: NDArray[Any],
        *,
        at_village: bool,
        co_delivered: bool,
    ) -> None:
        """Fold parcels made available to residents into the statistics."""
        inside = self.measured(columns["arrival_h"])
        if inside.any():
            self.last_finish_h = max(self.last_finish_h, float(delivered_h[inside].max()))
        late = inside & (delivered_h > self.end_h)
        self.in_transit_at_end += int(late.sum())
        done = inside & ~late
        count = int(done.sum())
        if count == 0:
            return
        self.rural_delivered += count
        self.delivered_at_village += count if at_village else 0
        self.co_delivered += count if co_delivered else 0
        arrival_h = columns["arrival_h"][done]
        self._pending.append(
            (delivered_h[done] - arrival_h, columns["village"][done], columns["carrier"][done], arrival_h, at_village)
        )
        self._pending_rows += count
        if self._pending_rows >= FLUSH_ROWS:
            self.flush()
        sampled = done & columns["sampled"]
        if sampled.any():
            rows = take_rows(columns, sampled)
            rows["delivered_h"] = delivered_h[sampled]
            self.sample.append(rows)

    def flush(self) -> None:
        """Fold the buffered deliveries into the histograms and per-group sums (call before reading them)."""
        if not self._pending:
            return
        times_h = np.concatenate([part[0] for part in self._pending])
        village = np.concatenate([part[1] for part in self._pending]).astype(np.int64)
        carrier = np.concatenate([part[2] for part in self._pending]).astype(np.int64)
        arrival_h = np.concatenate([part[3] for part in self._pending])
        at_point = np.concatenate([np.full(len(part[0]), part[4]) for part in self._pending])
        self._pending = []
        self._pending_rows = 0
        on_time = times_h <= 24
        self.delivery_time_sum_h += float(times_h.sum())
        self.on_time_24h += int(on_time.sum())
        self.on_time_48h += int((times_h <= 48).sum())
        bins = np.minimum((times_h / HISTOGRAM_BIN_H).astype(np.int64), len(self.histogram) - 1)
        self.histogram += np.bincount(bins, minlength=len(self.histogram))
        self.village_delivered += np.bincount(village, minlength=self.villages)
        self.village_delivered_at_point += np.bincount(village[at_point], minlength=self.villages)
        county = self.county_of_village[village]
        for groups, index, size in ((self.by_county, county, self.counties), (self.by_carrier, carrier, self.carriers)):
            groups["delivered"] += np.bincount(index, minlength=size)
            groups["time_sum_h"] += np.bincount(index, weights=times_h, minlength=size)
            groups["on_time_24h"] += np.bincount(index, weights=on_time.astype(float), minlength=size)
        day = ((arrival_h - self.window_start_h) // 24).astype(np.int64)
        self.by_day["delivered"] += np.bincount(day, minlength=self.horizon_days)[: self.horizon_days]

    def record_visits(self, villages: NDArray[np.int64], times_h: NDArray[np.float64]) -> None:
        """Mark the measured days on which deliveries reached these village points."""
        inside = (times_h >= self.window_start_h) & (times_h < self.window_end_h)
        day = ((times_h[inside] - self.window_start_h) // 24).astype(np.int64)
        self.village_served[villages[inside], day] = True

    @property
    def village_coverage(self) -> float:
        """Share of villages that received parcels, all of them at the village point."""
        covered = (self.village_delivered > 0) & (self.village_delivered_at_point == self.village_delivered)
        return float(covered.mean()) if self.villages else float("nan")

    @property
    def days_served(self) -> NDArray[np.int64]:
        """Per village, the number of measured days on which it received a delivery."""
        served: NDArray[np.int64] = self.village_served.sum(axis=1)
        return served

    @property
    def fewest_visits_in_a_week(self) -> float:
        """The fewest days any village was served in any whole week of the horizon; NaN under 7 days.

        Weeks are the horizon's consecutive 7-day blocks from its first day; days past the last whole
        week are not counted, so nothing is extrapolated.
        """
        weeks = self.horizon_days // 7
        if weeks == 0 or self.villages == 0:
            return math.nan
        by_week = self.village_served[:, : 7 * weeks].reshape(self.villages, weeks, 7).sum(axis=2)
        return float(by_week.min())

    def record_pickups_in(self, pickups: Mapping[str, NDArray[Any]]) -> None:
        """Count pickups appearing at village points inside the window (``appear_h``, ``village``, ``fresh``)."""
        inside = self.measured(pickups["appear_h"])
        self.pickups_in += int(inside.sum())
        self.fresh_in += int(np.count_nonzero(pickups["fresh"][inside]))
        county = self.county_of_village[pickups["village"][inside]]
        self.by_county["pickups"] += np.bincount(county, minlength=self.counties)
        fresh_county = county[pickups["fresh"][inside]]
        self.by_county["fresh_pickups"] += np.bincount(fresh_county, minlength=self.counties)

    def record_pickups_at_hub(self, pickups: Mapping[str, NDArray[Any]], time_h: float) -> None:
        """Fold pickups leaving the model at ``time_h`` (at the hub, or on line-haul) into the upward figures.

        A fresh pickup is on time when it leaves within ``fresh_max_h`` of appearing.
        """
        appear_h = pickups["appear_h"]
        measured = self.measured(appear_h)
        finished = int(np.count_nonzero(measured))
        if not finished:
            return
        self.pickups_finished += finished
        self.last_finish_h = max(self.last_finish_h, time_h)
        if time_h > self.end_h:
            return
        taken_h = time_h - appear_h[measured]
        self.pickups_at_hub += finished
        self.pickup_time_sum_h += float(taken_h.sum())
        bins = np.minimum((taken_h / HISTOGRAM_BIN_H).astype(np.int64), len(self.pickup_histogram) - 1)
        self.pickup_histogram += np.bincount(bins, minlength=len(self.pickup_histogram))
        county = self.county_of_village[pickups["village"][measured]]
        self.by_county["pickups_out"] += np.bincount(county, minlength=self.counties)
        self.by_county["pickup_time_sum_h"] += np.bincount(county, weights=taken_h, minlength=self.counties)
        on_time = pickups["fresh"][measured] & (taken_h <= self.fresh_max_h)
        self.fresh_on_time += int(np.count_nonzero(on_time))
        self.by_county["fresh_on_time"] += np.bincount(county[on_time], minlength=self.counties)

    def all_finished_by(self, time_h: float) -> bool:
        """Whether every parcel and pickup that arrived in the window had finished by ``time_h``.

        A parcel finishes when it is sorted at the hub (urban) or made available to residents
        (rural); a pickup when it reaches the hub.
        """
        rural_finished = self.rural_delivered + self.in_transit_at_end
        return (
            rural_finished == self.rural_in
            and self.pickups_finished == self.pickups_in
            and self.last_finish_h <= time_h
        )

    def delivery_time_quantile_h(self, quantile: float) -> float:
        """A delivery-time quantile from the one-minute histogram (upper edge of the bin)."""
        return histogram_quantile_h(self.histogram, quantile)

    def pickup_time_quantile_h(self, quantile: float) -> float:
        """A quantile of the pickups' time to leaving the model (upper edge of its one-minute bin)."""
        return histogram_quantile_h(self.pickup_histogram, quantile)

    @property
    def fresh_over_limit_share(self) -> float:
        """Share of measured fresh pickups not gone within ``fresh_max_h`` (one still there at the end counts)."""
        return (self.fresh_in - self.fresh_on_time) / self.fresh_in if self.fresh_in else float("nan")


def histogram_quantile_h(histogram: NDArray[np.float64], quantile: float) -> float:
    """A quantile from a one-minute histogram of times (the upper edge of the bin it falls in); NaN when empty."""
    total = histogram.sum()
    if total == 0:
        return float("nan")
    index = int(np.searchsorted(np.cumsum(histogram), quantile * total, side="left"))
    return (index + 1) * HISTOGRAM_BIN_H
