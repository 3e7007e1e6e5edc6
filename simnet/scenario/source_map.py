"""Where each value of a loaded scenario was written, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field

from simnet.scenario.errors import Location, Path


@dataclass(frozen=True)
class NodePlace:
    """The position of a mapping key (if the value sits under one) and of its value."""

    value: Location
    key: Location | None = None


@dataclass
class SourceMap:
    """Field path → place in a file or on the command line, for one merged scenario document."""

    places: dict[Path, NodePlace] = field(default_factory=dict)
    fallback: Location = field(default_factory=lambda: Location("<scenario>"))

    def record(self, path: Path, place: NodePlace) -> None:
        """Remember where the value at ``path`` was written."""
        self.places[path] = place

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The place of ``path``, or of its nearest written ancestor when it was not written.

        With ``key=True`` the mapping key's position is preferred (for unknown keys).
        """
        for end in range(len(path), -1, -1):
            place = self.places.get(path[:end])
            if place is not None:
                if key and end == len(path) and place.key is not None:
                    return place.key
                return place.value
        return self.fallback

    def replace_subtree(self, path: Path, other: SourceMap) -> None:
        """Forget every place at or under ``path`` and take ``other``'s places there instead."""
        size = len(path)
        for existing in [p for p in self.places if p[:size] == path]:
            del self.places[existing]
        for sub_path, place in other.places.items():
            if sub_path[:size] == path:
                self.places[sub_path] = place

    def covers(self, path: Path) -> bool:
        """Whether ``path`` itself was written in some layer."""
        return path in self.places
