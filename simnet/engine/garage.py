"""A dispatch point's vehicles by type, handed out first come first served (the rule: ``planning/fleet.py``)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import simpy


class Garage:
    """Vehicles of each type at one point: a request names the types that fit, cheapest first.

    A request is granted the first of its types with a vehicle free; requests are served in the
    order they were made, and one that no free vehicle fits holds up those behind it. Both engines
    take their vehicles from a garage, as they would from a ``simpy.Resource``.
    """

    def __init__(self, env: simpy.Environment, counts: Sequence[int]) -> None:
        self.env = env
        self.free = list(counts)
        self.out = [0] * len(counts)
        self.waiting: deque[tuple[tuple[int, ...], simpy.Event]] = deque()

    def request(self, choices: tuple[int, ...]) -> simpy.Event:
        """An event that succeeds with the index of the type granted."""
        granted = self.env.event()
        self.waiting.append((choices, granted))
        self._serve()
        return granted

    def take_now(self, choices: tuple[int, ...]) -> int | None:
        """What ``request`` would grant at once, taken now without an event; None when it would have to wait."""
        if self.waiting:
            return None
        kind = next((choice for choice in choices if self.free[choice] > 0), None)
        if kind is not None:
            self.free[kind] -= 1
            self.out[kind] += 1
        return kind

    def release(self, kind: int) -> None:
        """A vehicle of type ``kind`` is back and free."""
        self.free[kind] += 1
        self.out[kind] -= 1
        self._serve()

    def _serve(self) -> None:
        """Grant waiting requests in order while the first one has a fitting vehicle free."""
        while self.waiting:
            choices, granted = self.waiting[0]
            kind = next((choice for choice in choices if self.free[choice] > 0), None)
            if kind is None:
                return
            self.waiting.popleft()
            self.free[kind] -= 1
            self.out[kind] += 1
            granted.succeed(kind)
