"""A county park: the co-distribution line shared by member carriers, and each outside carrier's depot line."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve
from simnet.engine.dispatch import DispatchPoint, RunContext
from simnet.engine.fifo import FifoLine
from simnet.engine.hub import shift_segments
from simnet.engine.parcels import Columns, take_rows
from simnet.engine.stats import LineUse
from simnet.scenario.models.facilities import Parks


def line_curve(parks: Parks, rate_per_h: float, days: int) -> CapacityCurve:
    """C(t) of a park or depot line: the park shifts at the given full rate."""
    return CapacityCurve.from_segments(shift_segments(parks.shifts, rate_per_h, days + 1), 24.0 * days)


class SortingLine:
    """A FIFO line that hands what it sorts to a dispatch point and books handling and utilisation."""

    def __init__(self, curve: CapacityCurve, point: DispatchPoint, use: LineUse, unit_cny: float) -> None:
        self.line = FifoLine(curve)
        self.point = point
        self.use = use
        self.unit_cny = unit_cny

    def sort(self, parcels: Columns, time_h: float, context: RunContext) -> None:
        """Sort parcels unloaded together at ``time_h``; they wait at the point from their finish times."""
        count = len(parcels["seq"])
        done_h = self.line.process(np.full(count, time_h))
        parcels["park_done_h"] = done_h
        parcels["ready_h"] = done_h
        stats = context.stats
        self.use.count(done_h, stats.window_start_h, stats.window_end_h)
        context.ledger.add_cost(
            time_h, self.use.tier, self.use.county, self.use.carrier, "", "handling", self.unit_cny * count
        )
        self.point.parcels.push(parcels)


class CountyPark:
    """Sorts a county's parcels as trucks bring them and hands them to the right dispatch point."""

    def __init__(
        self,
        county: int,
        context: RunContext,
        members: NDArray[np.bool_],
        park_point: DispatchPoint | None,
        depot_points: dict[int, DispatchPoint],
        parks: Parks,
    ) -> None:
        self.context = context
        self.members = members
        days = context.total_days
        handling = context.ledger.costs.handling_cny_per_parcel
        self.park_line: SortingLine | None = None
        if park_point is not None:
            curve = line_curve(parks, parks.sorting_rate_per_h, days)
            use = context.stats.line("park", county, -1, curve.at)
            self.park_line = SortingLine(curve, park_point, use, handling.park)
        self.depot_lines: dict[int, SortingLine] = {}
        for carrier, point in depot_points.items():
            curve = line_curve(parks, parks.depot_sorting_rate_per_h, days)
            use = context.stats.line("depot", county, carrier, curve.at)
            self.depot_lines[carrier] = SortingLine(curve, point, use, handling.depot)

    def receive(self, parcels: Columns, time_h: float) -> None:
        """A truck unloads at ``time_h``: member parcels go to the shared line, others to their depots."""
        parcels["park_arrival_h"] = np.full(len(parcels["seq"]), time_h)
        member = self.members[parcels["carrier"]]
        if self.park_line is not None and member.any():
            self.park_line.sort(take_rows(parcels, member), time_h, self.context)
        for carrier, line in self.depot_lines.items():
            mine = parcels["carrier"] == carrier
            if mine.any():
                line.sort(take_rows(parcels, mine), time_h, self.context)
