"""A sorting line of the reference engine: one parcel at a time, first come first served, at the rate C(t) allows."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from simnet.engine.capacity import CapacityCurve
from simnet.engine.stats import LineUse

UNIT_SLACK = 1e-9
"""Capacity units a line may be short at the end of a working stretch and still finish there (float sums)."""

Process = Generator[simpy.Event, Any, None]


class Line:
    """A sorting line as a ``simpy.Resource`` of one server working at the rate of its shifts."""

    def __init__(self, env: simpy.Environment, curve: CapacityCurve, use: LineUse) -> None:
        self.env = env
        self.server = simpy.Resource(env, capacity=1)
        self.time_h = curve.time_h.tolist()
        self.cumulative = curve.cumulative.tolist()
        self.use = use

    def sort(self) -> Process:
        """Queue for the line, then get one unit of work done, pausing while the line stands still."""
        env = self.env
        with self.server.request() as turn:
            yield turn
            remaining = 1.0
            while True:
                piece = int(np.searchsorted(self.time_h, env.now, side="right")) - 1
                if piece >= len(self.time_h) - 1:
                    yield env.event()  # past the last shift of the run: never sorted
                end_h = self.time_h[piece + 1]
                rate = (self.cumulative[piece + 1] - self.cumulative[piece]) / (end_h - self.time_h[piece])
                if rate > 0 and rate * (end_h - env.now) >= remaining - UNIT_SLACK:
                    yield env.timeout(min(remaining / rate, end_h - env.now))
                    return
                remaining -= rate * (end_h - env.now)
                yield env.timeout(end_h - env.now)
