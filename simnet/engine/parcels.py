"""Parcels as a structure of arrays: one numpy column per attribute, one row per parcel."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simnet.planning.split import stable_order

Columns = dict[str, NDArray[Any]]

PARCEL_COLUMNS: dict[str, type[np.generic]] = {
    "seq": np.int64,
    "arrival_h": np.float64,
    "hub_done_h": np.float64,
    "carrier": np.int16,
    "village": np.int32,
    "park_arrival_h": np.float64,
    "park_done_h": np.float64,
    "town_arrival_h": np.float64,
    "ready_h": np.float64,
    "sampled": np.bool_,
}
"""Columns of a rural parcel in flight; ``ready_h`` is when it became available where it waits."""

PICKUP_COLUMNS: dict[str, type[np.generic]] = {
    "seq": np.int64,
    "appear_h": np.float64,
    "carrier": np.int16,
    "village": np.int32,
    "site": np.int32,
    "ready_h": np.float64,
    "fresh": np.bool_,
}
"""Columns of a pickup (upward parcel); ``site`` is where it waits now; ``fresh``: fresh produce."""


def empty_columns(schema: Mapping[str, type[np.generic]]) -> Columns:
    """A batch with no rows."""
    return {name: np.empty(0, dtype=dtype) for name, dtype in schema.items()}


def take_rows(columns: Columns, index: NDArray[np.intp] | NDArray[np.bool_]) -> Columns:
    """The rows selected by an index or mask."""
    return {name: values[index] for name, values in columns.items()}


def split_rows(columns: Columns, key: NDArray[np.integer[Any]], groups: int) -> list[Columns]:
    """The rows of each key 0 … ``groups`` − 1, in their order in ``columns`` (one gather, then slices)."""
    order = stable_order(key)
    bounds = np.concatenate(([0], np.cumsum(np.bincount(key, minlength=groups))))
    gathered = take_rows(columns, order)
    return [{name: values[start:end] for name, values in gathered.items()} for start, end in itertools.pairwise(bounds)]


def row_count(columns: Columns) -> int:
    """Number of rows of a batch."""
    return len(next(iter(columns.values())))


class ReadyQueue:
    """Parcels waiting at a place, kept in FIFO order of the time they became ready there.

    Batches pushed are joined when the queue is next read, so the pushes between two reads cost
    one join; the order is that of joining each batch as it came.
    """

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._pushed: list[Columns] = []

    @property
    def columns(self) -> Columns:
        """The waiting rows, in order."""
        if self._pushed:
            self._join()
        return self._columns

    @columns.setter
    def columns(self, columns: Columns) -> None:
        self._columns = columns
        self._pushed = []

    def __len__(self) -> int:
        return row_count(self._columns) + sum(row_count(batch) for batch in self._pushed)

    def push(self, batch: Columns) -> None:
        """Add parcels; order by ready time is kept (stable, so equal times keep arrival order)."""
        if row_count(batch) == 0:
            return
        self._pushed.append({name: batch[name] for name in self._columns})

    def _join(self) -> None:
        """Join the pushed batches to the queue: one stable sort by ready time when they came out of order."""
        waiting = row_count(self._columns)
        batches = [self._columns, *self._pushed]
        self._pushed = []
        joined = {name: np.concatenate([batch[name] for batch in batches]) for name in self._columns}
        ready = joined["ready_h"]
        tail = ready[max(waiting - 1, 0) :]
        if np.any(tail[1:] < tail[:-1]):
            joined = take_rows(joined, np.argsort(ready, kind="stable"))
        self._columns = joined

    def ready_count(self, time_h: float) -> int:
        """How many parcels are ready by ``time_h`` (they are the queue's first ones)."""
        return int(np.searchsorted(self.columns["ready_h"], time_h, side="right"))

    def pop(self, index: NDArray[np.intp] | NDArray[np.bool_]) -> Columns:
        """Remove and return the selected parcels."""
        keep = np.ones(len(self), dtype=bool)
        keep[index] = False
        taken = take_rows(self.columns, index)
        self.columns = take_rows(self.columns, keep)
        return taken

    def pop_first(self, count: int) -> Columns:
        """Remove and return the ``count`` oldest parcels."""
        taken = {name: values[:count] for name, values in self.columns.items()}
        self.columns = {name: values[count:] for name, values in self.columns.items()}
        return taken
