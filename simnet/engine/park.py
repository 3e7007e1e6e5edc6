"""A county park: the co-distribution line shared by member carriers, and each outside carrier's depot line."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from simnet.engine.capacity import CapacityCurve
from simnet.engine.dispatch import DispatchPoint, RunContext
from simnet.engine.fifo import FifoLine
from simnet.engine.hub import shift_segments
from simnet.engine.parcels import Columns, take_rows
from simnet.scenario.models.facilities import Parks


def line_curve(parks: Parks, rate_per_h: float, days: int) -> CapacityCurve:
    """C(t) of a park or depot line: the park shifts at the given full rate."""
    return CapacityCurve.from_segments(shift_segments(parks.shifts, rate_per_h, days + 1), 24.0 * days)


class CountyPark:
    """Sorts a county's parcels as trucks bring them and hands them to the right dispatch point."""

    def __init__(
        self,
        county: int,
        context: RunContext,
        members: NDArray[np.bool_],
        park_point: DispatchPoint | None,
        depot_points: dict[int, DispatchPoint],
        park_line: FifoLine | None,
        depot_lines: dict[int, FifoLine],
    ) -> None:
        self.county = county
        self.context = context
        self.members = members
        self.park_point = park_point
        self.depot_points = depot_points
        self.park_line = park_line
        self.depot_lines = depot_lines

    def receive(self, parcels: Columns, time_h: float) -> None:
        """A truck unloads at ``time_h``: member parcels go to the shared line, others to their depots."""
        count = len(parcels["seq"])
        parcels["park_arrival_h"] = np.full(count, time_h)
        member = self.members[parcels["carrier"]]
        if self.park_point is not None and self.park_line is not None and member.any():
            self._sort(take_rows(parcels, member), time_h, self.park_line, self.park_point, "park", -1)
        for carrier, point in self.depot_points.items():
            mine = parcels["carrier"] == carrier
            if mine.any():
                self._sort(take_rows(parcels, mine), time_h, self.depot_lines[carrier], point, "depot", carrier)

    def _sort(
        self, parcels: Columns, time_h: float, line: FifoLine, point: DispatchPoint, tier: str, carrier: int
    ) -> None:
        count = len(parcels["seq"])
        done_h = line.process(np.full(count, time_h))
        parcels["park_done_h"] = done_h
        parcels["ready_h"] = done_h
        costs = self.context.ledger.costs.handling_cny_per_parcel
        unit_cny = costs.park if tier == "park" else costs.depot
        self.context.ledger.add_cost(time_h, tier, self.county, carrier, "", "handling", unit_cny * count)
        point.parcels.push(parcels)
