"""A county park: the co-distribution line shared by member carriers, and each outside carrier's depot line."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve
from simnet.engine.dispatch import DispatchPoint, RunContext
from simnet.engine.facilities import line_key
from simnet.engine.fifo import FifoLine
from simnet.engine.hub import shift_segments
from simnet.engine.ledger import Account
from simnet.engine.parcels import Columns, split_rows
from simnet.engine.stats import LineUse
from simnet.scenario.models.facilities import Parks

IntArray = NDArray[np.int64]
ParcelFilter = Callable[[Columns], Columns]
"""Takes some parcels of a batch elsewhere and returns the others."""


def line_curve(parks: Parks, rate_per_h: float, days: int) -> CapacityCurve:
    """C(t) of a park or depot line: the park shifts at the given full rate."""
    return CapacityCurve.from_segments(shift_segments(parks.shifts, rate_per_h, days + 1), 24.0 * days)


class SortingLine:
    """A FIFO line that hands what it sorts to a dispatch point and books handling and utilisation."""

    def __init__(
        self,
        curve: CapacityCurve,
        point: DispatchPoint,
        use: LineUse,
        account: Account,
        unit_cny: float,
        place: int,
        divert: ParcelFilter | None = None,
    ) -> None:
        self.line = FifoLine(curve)
        self.point = point
        self.use = use
        self.account = account
        self.unit_cny = unit_cny
        self.place = place
        """The park's or depot's number in the attribution."""
        self.divert = divert
        """Takes the sorted parcels that go elsewhere than the point (onto bus lines) and returns the rest."""

    def sort(self, parcels: Columns, time_h: float, context: RunContext) -> None:
        """Sort parcels unloaded together at ``time_h``; they wait at the point from their finish times."""
        count = len(parcels["seq"])
        done_h = self.line.process(np.full(count, time_h))
        parcels["park_done_h"] = done_h
        parcels["ready_h"] = done_h
        stats = context.stats
        self.use.count(done_h, stats.window_start_h, stats.window_end_h)
        context.ledger.add_cost(time_h, self.account, "handling", self.unit_cny * count)
        village_group, carrier_group = context.attribution.groups(
            parcels["village"], parcels["carrier"], parcels["arrival_h"], pickup=False
        )
        context.attribution.record(
            village_group,
            carrier_group,
            time_h,
            [(self.account.tier, "handling", self.unit_cny * count)],
            place=self.place,
        )
        self.point.parcels.push(parcels if self.divert is None else self.divert(parcels))


def sorting_lines(
    points: list[DispatchPoint], context: RunContext, parks: Parks, divert: ParcelFilter | None = None
) -> dict[int, SortingLine]:
    """The line of every point that sorts what trucks bring (parks and depots), by point index.

    ``divert`` takes from what a line sorted the parcels that ride bus lines (``engine/bus.py``).
    """
    handling = context.ledger.costs.handling_cny_per_parcel
    lines: dict[int, SortingLine] = {}
    for index, point in enumerate(points):
        plan = point.plan
        if plan.sorting_rate_per_h is None:
            continue
        curve = line_curve(parks, plan.sorting_rate_per_h, context.total_days)
        use = context.stats.line(plan.tier, plan.county, plan.carrier, curve.at)
        carrier = None if plan.carrier < 0 else plan.carrier
        unit_cny = handling.park if plan.tier == "park" else handling.depot
        place = context.attribution.number(line_key(plan.tier, plan.county, plan.carrier))
        account = Account(plan.tier, plan.county, carrier)
        lines[index] = SortingLine(curve, point, use, account, unit_cny, place, divert)
    return lines


class CountyPark:
    """Sorts a county's parcels as trucks bring them, each on the line the flows table names."""

    def __init__(
        self, county: int, context: RunContext, sorting_point: IntArray, lines: dict[int, SortingLine]
    ) -> None:
        self.context = context
        self.sorting_point = sorting_point[county]
        """Per carrier: the point whose line sorts its parcels in this county."""
        self.lines = {index: line for index, line in lines.items() if index in set(self.sorting_point.tolist())}
        self.line_of_carrier = np.array([list(self.lines).index(int(point)) for point in self.sorting_point])
        """Per carrier: the position in ``lines`` of the line that sorts its parcels."""

    def receive(self, parcels: Columns, time_h: float) -> None:
        """A truck unloads at ``time_h``: each carrier's parcels go to the line of its sorting point."""
        parcels["park_arrival_h"] = np.full(len(parcels["seq"]), time_h)
        by_line = split_rows(parcels, self.line_of_carrier[parcels["carrier"]], len(self.lines))
        for line, mine in zip(self.lines.values(), by_line, strict=True):
            if len(mine["seq"]):
                line.sort(mine, time_h, self.context)
