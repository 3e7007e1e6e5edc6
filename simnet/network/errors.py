"""Errors of the network layer, each naming the scenario field to change and how."""

from __future__ import annotations

from simnet.scenario.errors import Path


class NetworkError(Exception):
    """A network that cannot be built or driven as the scenario describes it.

    ``path`` is the scenario field at fault (``()`` when unknown) and ``hint`` one sentence on how to fix it.
    """

    def __init__(self, message: str, path: Path = (), hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.hint = hint


class UnreachableError(NetworkError):
    """A site that a vehicle cannot reach: a road class it may not use, or a trip beyond its range."""

    def __init__(self, message: str, site_index: int, site_id: str, path: Path = (), hint: str = "") -> None:
        super().__init__(message, path, hint)
        self.site_index = site_index
        self.site_id = site_id
