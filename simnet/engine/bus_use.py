"""What the bus lines carried, per line and measured day: both engines count it alike for the ``bus_lines`` table."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BusDay:
    """One line's departures leaving on one measured day and what they carried."""

    departures: int = 0
    parcels: int = 0
    """Parcels that boarded (each boarding counts: a transfer is a second boarding, on the other line)."""
    pickups: int = 0
    transfers: int = 0
    """Boardings that were a change of lines (parcels and pickups)."""
    left_waiting: int = 0
    """Units ready at a stop that found no room aboard, summed over the calls (one unit may count twice)."""
    peak_load_sum: float = 0.0
    """Sum over departures of the most units aboard at once ÷ capacity."""


@dataclass
class BusUse:
    """Per (line, measured day) counts, and the measured parcels that rode and were delivered by bus."""

    window_start_h: float
    window_end_h: float
    days: dict[tuple[int, int], BusDay] = field(default_factory=dict)
    parcels_boarded: int = 0
    """Measured rural parcels that boarded their first line."""
    parcels_delivered: int = 0
    """Measured rural parcels a bus handed to their village point."""

    def day(self, line: int, depart_h: float) -> BusDay | None:
        """The counts of the measured day a departure leaves on, or None outside the window."""
        if not self.window_start_h <= depart_h < self.window_end_h:
            return None
        key = (line, int((depart_h - self.window_start_h) // 24))
        if key not in self.days:
            self.days[key] = BusDay()
        return self.days[key]
