"""Cost attribution: every cost item is shared out to the parcels and pickups that caused it.

The rules, the same in both engines (a *unit* is a rural parcel or a pickup):
- A trip's distance, energy and driver cost is shared equally among the units it carries: the
  parcels aboard when it leaves and the pickups it collects (a trunk truck to a park: its
  parcels; the trucks of one return departure from one park: together, all its pickups).
- Handling and commission belong to the parcel they are booked for.
- A fleet's vehicle-day fixed cost of a simulated day is shared equally among the units carried
  by that fleet's trips leaving that day (a fleet: one dispatch point's vehicles of one type; the
  trunk pool: all trunk trips, to the parks and back).
- A facility's fixed cost of a day (``engine/facilities.py``) is shared equally among the parcels
  it handled that day: those whose handling or commission it booked that day (the hub: the rural
  parcels arriving; a park or depot line: those unloaded; a town station or village point: those
  a vehicle leaves with for it). Pickups do not share facility costs.
- What no unit caused (a fixed cost of a day its fleet or facility handled nothing, a trip that
  carried nothing) stays *unattributed*.
A unit belongs to the horizon when it arrived at the hub (parcel) or appeared at its village
(pickup) inside the measured window. Attribution covers the whole run, warm-up and drain days
too, so: attributed to the horizon's units + attributed to other units + unattributed = the
ledger's ``all_time_cny``. ``cost_per_parcel_cny`` is the mean attributed cost of the horizon's
rural parcels; ``cost_total_cny`` is what the ledger booked inside the window, whoever caused it.

Here the fast engine's bookkeeping: units are kept as group numbers (village or carrier, horizon
or not, parcel or pickup), trips as records; both are folded into grouped sums with
``np.bincount`` in batches and at the end of each day, never a float per parcel and cost kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from simnet.engine.ledger import COST_KINDS
from simnet.metric_names import TIER_ORDER

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

UNIT_KINDS = ("parcel", "pickup")
ITEMS = tuple((tier, kind) for tier in TIER_ORDER for kind in COST_KINDS)
"""Every (tier, cost kind) an amount can be attributed under, in table order."""
ITEM_INDEX = {item: index for index, item in enumerate(ITEMS)}
FLUSH_UNITS = 2_000_000
"""Unit rows buffered before they are folded into the sums (bounds memory)."""
DENSE_COUNTS = 1 << 22
"""Most (place, group) counters a flush counts into directly rather than by sorting."""
LARGE_RECORD = 50_000
"""A record of this many units (a day at the hub) is folded at once rather than buffered."""


def block(in_horizon: NDArray[np.bool_], pickup: bool) -> IntArray:
    """Block of a unit's group: 2 × in the horizon + 1 for a pickup (0 other parcel … 3 horizon pickup)."""
    blocks: IntArray = in_horizon.astype(np.int64) * 2 + int(pickup)
    return blocks


@dataclass
class AttributedCosts:
    """Attributed CNY per (tier, kind) item and unit group, and the units arrived per group.

    A village group is ``block × villages + village``, a carrier group ``block × carriers +
    carrier`` (``block`` as above). Both engines fill one.
    """

    villages: int
    carriers: int
    by_village: FloatArray = field(init=False)
    by_carrier: FloatArray = field(init=False)
    unattributed: FloatArray = field(init=False)
    arrived_by_village: FloatArray = field(init=False)
    arrived_by_carrier: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        self.by_village = np.zeros((len(ITEMS), 4 * self.villages))
        self.by_carrier = np.zeros((len(ITEMS), 4 * self.carriers))
        self.unattributed = np.zeros(len(ITEMS))
        self.arrived_by_village = np.zeros(4 * self.villages)
        self.arrived_by_carrier = np.zeros(4 * self.carriers)

    def total_cny(self) -> float:
        """Everything attributed or not: equals the ledger's all-time total."""
        return float(self.by_village.sum() + self.unattributed.sum())

    def horizon_cny(self, unit: str) -> float:
        """Attributed to the horizon's parcels (``unit="parcel"``) or pickups."""
        start = (2 + UNIT_KINDS.index(unit)) * self.villages
        return float(self.by_village[:, start : start + self.villages].sum())

    def outside_cny(self) -> float:
        """Attributed to units outside the horizon (warm-up arrivals, drain-day arrivals)."""
        return float(self.by_village[:, : 2 * self.villages].sum())


def _place_group_counts(place: IntArray, groups: IntArray, size: int, present: IntArray) -> tuple[IntArray, FloatArray]:
    """Units per key place × ``size`` + group, keys ascending; ``place``: rank in ``present`` from 1 (0: none).

    Counted in one ``bincount`` over every possible key when they are few enough, else by sorting the units' keys.
    """
    keys = place * size + groups
    if (len(present) + 1) * size <= DENSE_COUNTS:
        counts = np.bincount(keys, minlength=(len(present) + 1) * size)[size:]
        found = np.flatnonzero(counts)
        found_counts = counts[found]
    else:
        found, found_counts = np.unique(keys[place > 0], return_counts=True)
        found -= size
    return present[found // size] * size + found % size, found_counts.astype(np.float64)


def _grouped(groups: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    """Sum of ``weights`` (or counts) per group."""
    summed: FloatArray = np.bincount(groups, weights=weights, minlength=size).astype(np.float64, copy=False)
    return summed


@dataclass
class _Batch:
    """Unit rows and records not yet folded in."""

    village_group: list[IntArray] = field(default_factory=list)
    carrier_group: list[IntArray] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    fleet: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    unit_place: list[tuple[int, IntArray]] = field(default_factory=list)
    """(record, facility of each of its units) for records that name one per unit."""
    amounts: list[tuple[int, int, float]] = field(default_factory=list)
    """(record, item, CNY shared among the record's units)."""
    rows: int = 0


class Attribution:
    """The fast engine's attribution: records of who carried or handled what, folded into ``AttributedCosts``.

    A *record* is a set of units that share amounts and are handled together by at most one
    fleet and one facility (or, per unit, the facility where each is left).
    """

    def __init__(self, villages: int, carriers: int, window_start_h: float, window_end_h: float) -> None:
        self.result = AttributedCosts(villages, carriers)
        self.window_start_h = window_start_h
        self.window_end_h = window_end_h
        self.places: dict[Hashable, int] = {}
        self.place_item: list[int] = []
        self._batch = _Batch()
        self._handled: dict[int, list[tuple[IntArray, FloatArray, IntArray, FloatArray]]] = defaultdict(list)
        """Per day: (place × village group keys, counts, place × carrier group keys, counts)."""
        self._fixed: dict[int, dict[int, float]] = defaultdict(dict)
        """Per day: fixed CNY per place."""

    def place(self, key: Hashable, tier: str, kind: str, *, charged: bool = True) -> int:
        """Number of a fleet or facility whose daily fixed cost (tier, kind) is shared by what it handles.

        One that costs nothing (``charged`` False) gets −1: what it handles need not be counted.
        """
        if not charged:
            return -1
        if key not in self.places:
            self.places[key] = len(self.place_item)
            self.place_item.append(ITEM_INDEX[(tier, kind)])
        return self.places[key]

    def number(self, key: Hashable) -> int:
        """Number of a registered fleet or facility; −1 for one not registered (it costs nothing)."""
        return self.places.get(key, -1)

    def groups(
        self, village: NDArray[np.integer], carrier: NDArray[np.integer], time_h: FloatArray, *, pickup: bool
    ) -> tuple[IntArray, IntArray]:
        """Village and carrier group of each unit (``time_h``: hub arrival of a parcel, appearance of a pickup)."""
        blocks = block((time_h >= self.window_start_h) & (time_h < self.window_end_h), pickup)
        result = self.result
        return blocks * result.villages + village, blocks * result.carriers + carrier

    def arrive(self, village_group: IntArray, carrier_group: IntArray) -> None:
        """Count units coming into being (parcels at the hub, pickups at their village)."""
        result = self.result
        result.arrived_by_village += _grouped(village_group, None, len(result.arrived_by_village))
        result.arrived_by_carrier += _grouped(carrier_group, None, len(result.arrived_by_carrier))

    def record(
        self,
        village_group: IntArray,
        carrier_group: IntArray,
        time_h: float,
        amounts: Iterable[tuple[str, str, float]],
        fleet: int = -1,
        place: int = -1,
        unit_place: IntArray | None = None,
    ) -> None:
        """Units that share ``amounts`` (tier, kind, CNY), carried by ``fleet`` and handled at ``place`` at ``time_h``.

        ``unit_place`` names each unit's facility instead of ``place`` (−1: none).
        """
        size = len(village_group)
        if size >= LARGE_RECORD and unit_place is None:
            self._fold_now(village_group, carrier_group, int(time_h // 24), amounts, (fleet, place))
            return
        batch = self._batch
        index = len(batch.sizes)
        for tier, kind, cny in amounts:
            if not cny:
                continue
            item = ITEM_INDEX[(tier, kind)]
            if size == 0:
                self.result.unattributed[item] += cny
            else:
                batch.amounts.append((index, item, cny))
        batch.village_group.append(village_group)
        batch.carrier_group.append(carrier_group)
        batch.place.append(place if unit_place is None else -1)
        if unit_place is not None:
            batch.unit_place.append((index, unit_place))
        batch.sizes.append(size)
        batch.days.append(int(time_h // 24))
        batch.fleet.append(fleet)
        batch.rows += size
        if batch.rows >= FLUSH_UNITS:
            self.flush()

    def _fold_now(
        self,
        village_group: IntArray,
        carrier_group: IntArray,
        day: int,
        amounts: Iterable[tuple[str, str, float]],
        places: tuple[int, int],
    ) -> None:
        """Fold a large record straight into the sums and the day's handled counts."""
        result = self.result
        size = len(village_group)
        by_village = _grouped(village_group, None, result.by_village.shape[1])
        by_carrier = _grouped(carrier_group, None, result.by_carrier.shape[1])
        for tier, kind, cny in amounts:
            item = ITEM_INDEX[(tier, kind)]
            result.by_village[item] += by_village * (cny / size)
            result.by_carrier[item] += by_carrier * (cny / size)
        village_keys, carrier_keys = np.flatnonzero(by_village), np.flatnonzero(by_carrier)
        for place in places:
            if place >= 0:
                self._handled[day].append(
                    (
                        place * len(by_village) + village_keys,
                        by_village[village_keys],
                        place * len(by_carrier) + carrier_keys,
                        by_carrier[carrier_keys],
                    )
                )

    def fixed(self, place: int, day: int, cny: float) -> None:
        """The fixed cost of a fleet or facility for one simulated day (nothing for one not charged)."""
        if place < 0:
            assert not cny, "a fleet or facility registered as costing nothing has a fixed cost"
            return
        if cny:
            self._fixed[day][place] = self._fixed[day].get(place, 0.0) + cny

    def flush(self) -> None:
        """Fold the buffered records: shared amounts into the sums, handled units into each day's counts."""
        batch = self._batch
        if not batch.sizes:
            return
        self._batch = _Batch()
        village_group = np.concatenate(batch.village_group)
        carrier_group = np.concatenate(batch.carrier_group)
        sizes = np.asarray(batch.sizes, dtype=np.int64)
        if batch.amounts:
            self._share(batch.amounts, sizes, village_group, carrier_group)
        days = np.asarray(batch.days, dtype=np.int64)
        for places, unit_place in ((batch.fleet, []), (batch.place, batch.unit_place)):
            self._count_handled(
                days, np.asarray(places, dtype=np.int64), unit_place, sizes, village_group, carrier_group
            )

    def _share(
        self, amounts: list[tuple[int, int, float]], sizes: IntArray, village_group: IntArray, carrier_group: IntArray
    ) -> None:
        """Add each record's amounts, shared equally among its units, to their groups' sums.

        Items shared among the same records (a trip's distance, energy and driver time) gather those
        records' units once.
        """
        result = self.result
        records, items, cny = (np.asarray(column) for column in zip(*amounts, strict=True))
        starts = np.cumsum(sizes) - sizes
        items_of_records: dict[bytes, list[int]] = defaultdict(list)
        for item in np.unique(items).tolist():
            items_of_records[records[items == item].tobytes()].append(item)
        for same in items_of_records.values():
            mine = records[items == same[0]]
            counts = sizes[mine]
            if len(mine) == len(sizes):
                villages, carriers = village_group, carrier_group
            else:
                rows = np.repeat(starts[mine] - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
                villages, carriers = village_group[rows], carrier_group[rows]
            for item in same:
                weights = np.repeat(cny[items == item] / counts, counts)
                result.by_village[item] += _grouped(villages, weights, result.by_village.shape[1])
                result.by_carrier[item] += _grouped(carriers, weights, result.by_carrier.shape[1])

    def _count_handled(
        self,
        days: IntArray,
        places: IntArray,
        unit_place: list[tuple[int, IntArray]],
        sizes: IntArray,
        village_group: IntArray,
        carrier_group: IntArray,
    ) -> None:
        """Add to each day's counts of units per (place, group); ``places`` per record (−1: none), or per unit."""
        result = self.result
        place = np.repeat(places, sizes)
        starts = np.cumsum(sizes) - sizes
        for index, mine in unit_place:
            place[starts[index] : starts[index] + sizes[index]] = mine
        present = np.unique(np.concatenate([places, *(np.unique(mine) for _, mine in unit_place)]))
        present = present[present >= 0]
        if len(present) == 0:
            return
        dense = np.zeros(len(self.place_item) + 1, dtype=np.int64)
        dense[present + 1] = np.arange(1, len(present) + 1)
        place = dense[place + 1]  # each unit's place as its rank among those present, from 1 (0: none)
        each_day = np.unique(days).tolist()
        for day in each_day:
            rows = slice(None) if len(each_day) == 1 else np.repeat(days, sizes) == day
            village_keys, village_counts = _place_group_counts(
                place[rows], village_group[rows], 4 * result.villages, present
            )
            carrier_keys, carrier_counts = _place_group_counts(
                place[rows], carrier_group[rows], 4 * result.carriers, present
            )
            self._handled[day].append((village_keys, village_counts, carrier_keys, carrier_counts))

    def close_day(self, day: int) -> None:
        """Share each fleet's and facility's fixed cost of ``day`` among the units it handled that day."""
        self.flush()
        handled = self._handled.pop(day, [])
        fixed = self._fixed.pop(day, {})
        if not fixed:
            return
        result = self.result
        cost = np.zeros(len(self.place_item))
        for number, cny in fixed.items():
            cost[number] = cny
        item_of_place = np.asarray(self.place_item, dtype=np.int64)
        for column, sums, size in (
            (0, result.by_village, 4 * result.villages),
            (2, result.by_carrier, 4 * result.carriers),
        ):
            if handled:
                keys = np.concatenate([entry[column] for entry in handled])
                counts = np.concatenate([entry[column + 1] for entry in handled])
            else:
                keys, counts = np.empty(0, dtype=np.int64), np.empty(0)
            place = keys // size
            total = np.bincount(place, weights=counts, minlength=len(cost))
            share = np.divide(cost, total, out=np.zeros_like(cost), where=total > 0)
            np.add.at(sums, (item_of_place[place], keys % size), share[place] * counts)
            if column == 0:
                idle = (total == 0) & (cost != 0)
                np.add.at(result.unattributed, item_of_place[idle], cost[idle])

    def finish(self, days: int) -> AttributedCosts:
        """Close the days still open and return the sums."""
        for day in range(days):
            self.close_day(day)
        self._handled.clear()
        return self.result
