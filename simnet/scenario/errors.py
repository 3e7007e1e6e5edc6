"""The scenario error: every problem located by file, line, column and field path, with a fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PathItem = str | int
Path = tuple[PathItem, ...]


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file position, or a command-line override."""

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.source
        return f"{self.source}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, said so that a planner can fix it."""

    location: Location
    path: Path
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: "
        field = f"{format_path(self.path)}: " if self.path else ""
        text = f"{where}{field}{self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class ScenarioError(Exception):
    """A scenario that cannot be used; holds every problem found, each with its location."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("a ScenarioError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        header = "1 problem" if count == 1 else f"{count} problems"
        body = "\n".join(f"  {line}" for p in self.problems for line in str(p).splitlines())
        return f"invalid scenario ({header}):\n{body}"

    @classmethod
    def single(cls, location: Location, message: str, hint: str = "", path: Path = ()) -> ScenarioError:
        """Build an error that holds one problem."""
        return cls([Problem(location=location, path=path, message=message, hint=hint)])


def format_path(path: Iterable[PathItem]) -> str:
    """Render a field path as planners write it: ``carriers[2].share``."""
    text = ""
    for item in path:
        if isinstance(item, int):
            text += f"[{item}]"
        else:
            text += f".{item}" if text else str(item)
    return text
