"""Sites and roads kept in CSV files that a scenario names: ``network.sites_csv`` and ``network.roads_csv``.

A planner's villages come as a spreadsheet; saved as CSV (UTF-8, a byte-order mark is fine, Chinese
names welcome), they are read into the scenario document before it is validated, so every rule of a
listed network applies to them and every problem points at its file, line and column.

The rules:

- A file name is relative to the folder of the scenario file that writes it (a base file's name stays
  relative to the base); one given with ``--set``, or in text that has no file, is relative to the
  current folder. Only a regular file of at most ``MAX_CSV_BYTES`` is read.
- The first non-empty row names the columns, in any order; empty rows (``,,,`` too) are skipped; every
  other row has as many cells as the header. Cells are trimmed; an empty cell is a value not given.
- Sites (``SITES.columns``): one row per site. ``kind`` is ``park``, ``town`` or ``village``. A park row
  stands for its county: its ``id`` and ``name`` are the county's. ``county``, when given, names the
  county the site lies in: a town must give it (the id of a park row), a village may (it must then be its
  town's), a park may (its own id). A village names its town's id in ``town``; only villages have a
  ``town`` and a ``demand_weight`` (default 1). Each site is placed by ``x_km``/``y_km`` or by
  ``lon``/``lat`` (WGS84 degrees), one pair, the same for every site. Counties, towns and villages keep
  the order of their rows. The hub stays in the scenario file (``network.hub``).
- Roads (``ROADS.columns``): one row per road, as an entry of ``network.roads``: ``from``, ``to``,
  ``road_class`` and an optional ``length_km``.
- The loader writes the sites into ``network.counties`` and the roads into ``network.roads`` (the
  resolved scenario therefore lists them and loads without the files) and adds the files to the
  scenario's sources. A network gives its sites either in ``counties`` or in ``sites_csv`` (its roads in
  ``roads`` or ``roads_csv``), not both.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, TypeVar

from simnet.scenario.errors import Location, Path, ScenarioError
from simnet.scenario.layers import Document, read_at_most
from simnet.scenario.source_map import NodePlace, SourceMap

MAX_CSV_BYTES = 1_000_000
"""Largest CSV file read, as for a scenario file: a city of 2,240 villages with Chinese names and lon/lat
is about 150 kB as CSV, so anything over 1 MB is refused before it is read."""

KINDS = ("park", "town", "village")
PLACE_COLUMNS = ("x_km", "y_km", "lon", "lat")
NUMBER_COLUMNS = frozenset({*PLACE_COLUMNS, "demand_weight", "length_km"})


@dataclass(frozen=True)
class _Table:
    """The columns a CSV file may have, those it must have, and how to fill each required one."""

    columns: tuple[str, ...]
    required: dict[str, str]


SITES = _Table(
    columns=("kind", "id", "name", "county", "town", *PLACE_COLUMNS, "demand_weight"),
    required={"kind": "write park, town or village", "id": "give every site a short ASCII id"},
)
ROADS = _Table(
    columns=("from", "to", "road_class", "length_km"),
    required={
        "from": "name the site where the road starts (its id)",
        "to": "name the site where the road ends (its id)",
        "road_class": "write one of expressway, highway, county, township, village",
    },
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Row:
    """One data row of a CSV file: its trimmed cells by column and where each cell starts."""

    cells: dict[str, str]
    places: dict[str, Location]
    start: Location

    def place(self, column: str) -> Location:
        """Where the cell of ``column`` starts, or the row's start when the file has no such column."""
        return self.places.get(column, self.start)


@dataclass(frozen=True)
class _Source:
    """One CSV file a network names: the field that names it, where that was written, and the file."""

    field: str
    named_at: Location
    path: FilePath

    def error(self, location: Location, message: str, hint: str) -> ScenarioError:
        """A problem at ``location`` (in the file, or where it is named), on the field that names the file."""
        return ScenarioError.single(location, message, hint, ("network", self.field))


_Reader = Callable[[list[_Row], _Source, SourceMap], list[dict[str, Any]]]


def read_csv_sources(document: Document) -> Document:
    """``document`` with the CSV files named by its network read into ``counties`` and ``roads``."""
    network = document.data.get("network")
    if not isinstance(network, dict) or all(network.get(field) is None for field in ("sites_csv", "roads_csv")):
        return document
    network = dict(network)
    source_map = SourceMap(places=dict(document.source_map.places), fallback=document.source_map.fallback)
    files = list(document.files)
    readers: tuple[tuple[str, str, _Table, _Reader], ...] = (
        ("sites_csv", "counties", SITES, _counties),
        ("roads_csv", "roads", ROADS, _roads),
    )
    for field, target, table, read in readers:
        name = network.pop(field, None)
        if name is None:
            continue
        named_at = source_map.locate(("network", field))
        source = _Source(field, named_at, _file_named(name, named_at, document.files, field))
        if network.get(target):
            raise source.error(
                named_at,
                f"the network lists '{target}' and names '{field}' too.",
                f"give the {target} in one place: remove '{target}', or set '{field}: null' (e.g. in a variant)",
            )
        rows = _rows(_read_text(source), source, table)
        placed = SourceMap(fallback=named_at)
        placed.record(("network", target), NodePlace(named_at))
        network[target] = read(rows, source, placed)
        source_map.replace_subtree(("network", target), placed)
        files.append(source.path.resolve())
    return Document(data={**document.data, "network": network}, source_map=source_map, files=tuple(files))


def _file_named(name: Any, named_at: Location, files: tuple[FilePath, ...], field: str) -> FilePath:
    """The file ``name`` names, relative to the scenario file it was written in (else the current folder)."""
    if not isinstance(name, str) or not name:
        raise ScenarioError.single(
            named_at,
            f"'{field}' must name a CSV file; found {name!r}",
            f"write e.g. '{field}: sites.csv' (relative to this scenario file)",
            ("network", field),
        )
    written_in = FilePath(named_at.source)
    folder = written_in.parent if written_in.resolve() in files else FilePath()
    return FilePath(os.path.normpath(folder / name))


def _read_text(source: _Source) -> str:
    """The text of a CSV file, refused by type and size before any of it is read, decoded as UTF-8.

    As for scenario files, only a regular file is read (a FIFO would block, ``/dev/zero`` never ends),
    opened without blocking and checked through its own descriptor.
    """
    path, where = source.path, source.named_at
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise source.error(
            where, f"cannot open {path}: {exc.strerror}", "give the path relative to this scenario file"
        ) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise source.error(where, f"{path} is not a regular file", "name a CSV file")
        if status.st_size > MAX_CSV_BYTES:
            raise _too_large(source, status.st_size)
        raw = read_at_most(descriptor, MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise source.error(where, f"cannot read {path}: {exc.strerror}", "check the file") from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_CSV_BYTES:  # grew after it was checked
        raise _too_large(source, len(raw))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise source.error(
            Location(str(path), raw.count(b"\n", 0, exc.start) + 1, exc.start - line_start + 1),
            f"not UTF-8 text (undecodable byte at offset {exc.start})",
            "save the file as UTF-8 CSV (in Excel: 'CSV UTF-8 (Comma delimited)')",
        ) from None


def _too_large(source: _Source, size_bytes: int) -> ScenarioError:
    """The problem of a file over the size limit."""
    return source.error(
        source.named_at,
        f"{source.path} is {size_bytes:,} bytes, more than a CSV file may be ({MAX_CSV_BYTES:,} bytes)",
        "check that this is the file you meant; a city this large is better generated ('network.generate')",
    )


class _Lines:
    """The physical lines of a text, remembering those the csv reader took for its last record."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        return line


def _rows(text: str, source: _Source, table: _Table) -> list[_Row]:
    """The data rows of a CSV text whose header names columns of ``table``; a malformed row is an error."""
    shown = str(source.path)
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    rows: list[_Row] = []
    while True:
        lines.taken.clear()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise source.error(
                Location(shown, reader.line_num, 1),
                f"not valid CSV: {exc}",
                'quote a cell that holds a comma or a quote as "..." (a quote inside written twice)',
            ) from None
        if not any(cell.strip() for cell in record):
            continue
        first_line = reader.line_num - len(lines.taken) + 1
        places = [Location(shown, line, column) for line, column in _cell_starts(lines.taken, first_line)]
        if header is None:
            header = [cell.strip() for cell in record]
            _check_header(header, places, source, table)
            continue
        if len(record) != len(header):
            raise source.error(
                places[0],
                f"this row has {len(record)} cells, the header {len(header)} columns.",
                "give every row one cell per column (an empty cell for a value not given)",
            )
        cells = {column: cell.strip() for column, cell in zip(header, record, strict=True)}
        rows.append(_Row(cells, dict(zip(header, places, strict=True)), places[0]))
    if not rows:
        raise source.error(
            source.named_at,
            f"{source.path} has no data rows.",
            f"write a header row ({', '.join(table.columns)}) and one row per entry",
        )
    return rows


def _cell_starts(lines: list[str], first_line: int) -> list[tuple[int, int]]:
    """(line, column), from 1, where each cell of one CSV record starts, in the physical lines it spans.

    As the csv module reads: a cell that opens with a quote runs to its closing quote (a doubled quote
    inside stands for one quote); elsewhere a comma ends a cell.
    """
    starts = [(first_line, 1)]
    state = "start"
    for number, line in enumerate(lines, start=first_line):
        for column, char in enumerate(line, start=1):
            if state == "quoted":
                state = "closing" if char == '"' else "quoted"
            elif state == "closing" and char == '"':
                state = "quoted"
            elif char == ",":
                starts.append((number, column + 1))
                state = "start"
            else:
                state = "quoted" if char == '"' and state == "start" else "plain"
    return starts


def _check_header(header: list[str], places: list[Location], source: _Source, table: _Table) -> None:
    """Every column is one of the table's and named once; the required ones are there."""
    for index, (name, place) in enumerate(zip(header, places, strict=True)):
        if name not in table.columns:
            raise source.error(
                place,
                f"unknown column {name!r}" if name else "a column has no name",
                _suggest(name, table.columns, f"the columns are {', '.join(table.columns)}"),
            )
        if name in header[:index]:
            raise source.error(place, f"column {name!r} is named twice", "keep one column of each name")
    for name in table.required:
        if name not in header:
            raise source.error(
                places[0],
                f"the header has no column {name!r}",
                f"the first row names the columns; {', '.join(table.required)} are required",
            )


def _suggest(found: str, valid: tuple[str, ...], fix: str) -> str:
    """``fix``, after ``did you mean 'x'?`` when a valid word is close to ``found``."""
    close = difflib.get_close_matches(found, valid, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? {fix[0].upper()}{fix[1:]}" if close else fix


def _check_required(row: _Row, source: _Source, table: _Table) -> None:
    """Each required column of ``table`` has a value in ``row``."""
    for column, hint in table.required.items():
        if not row.cells.get(column):
            raise source.error(row.place(column), f"column {column!r} is empty", hint)


def _entry(row: _Row, source: _Source, columns: tuple[str, ...]) -> dict[str, Any]:
    """The given cells among ``columns`` as a document entry: numbers parsed, empty cells left out."""
    entry: dict[str, Any] = {}
    for column in columns:
        text = row.cells.get(column, "")
        if not text:
            continue
        if column not in NUMBER_COLUMNS:
            entry[column] = text
            continue
        try:
            entry[column] = float(text)
        except ValueError:
            raise source.error(
                row.place(column),
                f"column {column!r}: expected a number; found {text!r}",
                "write a decimal number such as 30.5 (a point, no thousands separator)",
            ) from None
    return entry


def _record(placed: SourceMap, path: Path, row: _Row, entry: dict[str, Any]) -> None:
    """Remember that the entry at ``path`` comes from ``row``, and each of its values from its cell."""
    placed.record(path, NodePlace(row.start))
    for column in entry:
        placed.record((*path, column), NodePlace(row.place(column), row.place(column)))


def _parent(row: _Row, source: _Source, column: str, known: dict[str, _T], parent_kind: str) -> _T:
    """The entry of ``known`` (by the id of a ``parent_kind`` row) that the cell of ``column`` names."""
    name = row.cells.get(column, "")
    if name not in known:
        found = f"found {name!r}" if name else "the cell is empty" if column in row.cells else "there is no such column"
        listing = f"write one of {', '.join(known)}" if known else f"add a {parent_kind} row and name it here"
        raise source.error(
            row.place(column),
            f"column {column!r}: a {row.cells['kind']} names its {column}, the id of a {parent_kind} row; {found}",
            _suggest(name, tuple(known), listing),
        )
    return known[name]


def _in_county(row: _Row, source: _Source, county_id: str, why: str) -> None:
    """A ``county`` cell, when given, names ``county_id``; only villages have ``town`` and ``demand_weight``."""
    given = row.cells.get("county", "")
    if given and given != county_id:
        raise source.error(
            row.place("county"),
            f"column 'county': {why}, not {given!r}",
            f"write {county_id!r}, or leave the cell empty",
        )
    for column in ("town", "demand_weight"):
        if row.cells.get(column) and row.cells["kind"] != "village":
            raise source.error(
                row.place(column),
                f"column {column!r}: a {row.cells['kind']} has no {column}",
                "leave the cell empty (only a village belongs to a town and has a demand weight)",
            )


def _counties(rows: list[_Row], source: _Source, placed: SourceMap) -> list[dict[str, Any]]:
    """``network.counties`` from site rows (see the module's rules), each value placed at its cell."""
    _check_kinds_and_ids(rows, source)
    parks = [row for row in rows if row.cells["kind"] == "park"]
    counties: list[dict[str, Any]] = []
    for c, row in enumerate(parks):
        _in_county(row, source, row.cells["id"], "a park's county is the park itself")
        county, park = _entry(row, source, ("id", "name")), _entry(row, source, PLACE_COLUMNS)
        _record(placed, ("network", "counties", c), row, county)
        _record(placed, ("network", "counties", c, "park"), row, park)
        placed.record(("network", "counties", c, "towns"), NodePlace(row.start))
        counties.append({**county, "park": park, "towns": []})
    county_index = {row.cells["id"]: c for c, row in enumerate(parks)}
    towns: dict[str, tuple[int, int, _Row]] = {}
    for row in (row for row in rows if row.cells["kind"] == "town"):
        c = _parent(row, source, "county", county_index, "park")
        _in_county(row, source, counties[c]["id"], "the town's county")
        t = len(counties[c]["towns"])
        town = _entry(row, source, ("id", "name", *PLACE_COLUMNS))
        _record(placed, ("network", "counties", c, "towns", t), row, town)
        placed.record(("network", "counties", c, "towns", t, "villages"), NodePlace(row.start))
        counties[c]["towns"].append({**town, "villages": []})
        towns[row.cells["id"]] = (c, t, row)
    for row in (row for row in rows if row.cells["kind"] == "village"):
        c, t, town_row = _parent(row, source, "town", towns, "town")
        _in_county(
            row, source, counties[c]["id"], f"its town {town_row.cells['id']!r} lies in county {counties[c]['id']!r}"
        )
        villages = counties[c]["towns"][t]["villages"]
        village = _entry(row, source, ("id", "name", *PLACE_COLUMNS, "demand_weight"))
        _record(placed, ("network", "counties", c, "towns", t, "villages", len(villages)), row, village)
        villages.append(village)
    for county, row in zip(counties, parks, strict=True):
        if not county["towns"]:
            raise source.error(
                row.start, f"park {county['id']!r} has no towns.", "add town rows that name it in column 'county'"
            )
    for c, t, row in towns.values():
        if not counties[c]["towns"][t]["villages"]:
            raise source.error(
                row.start,
                f"town {row.cells['id']!r} has no villages.",
                "add village rows that name it in column 'town'",
            )
    return counties


def _check_kinds_and_ids(rows: list[_Row], source: _Source) -> None:
    """Every site row has a known kind and an id that no earlier row has."""
    first_at: dict[str, Location] = {}
    for row in rows:
        _check_required(row, source, SITES)
        kind, site_id = row.cells["kind"], row.cells["id"]
        if kind not in KINDS:
            raise source.error(
                row.place("kind"),
                f"column 'kind': unknown kind {kind!r}",
                _suggest(kind, KINDS, "write park, town or village"),
            )
        if site_id in first_at:
            raise source.error(
                row.place("id"),
                f"id {site_id!r} is already used on line {first_at[site_id].line}",
                "give every park, town and village its own id (a park's id is its county's)",
            )
        first_at[site_id] = row.start


def _roads(rows: list[_Row], source: _Source, placed: SourceMap) -> list[dict[str, Any]]:
    """``network.roads`` from road rows, each value placed at its cell."""
    roads: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        _check_required(row, source, ROADS)
        road = _entry(row, source, ROADS.columns)
        _record(placed, ("network", "roads", index), row, road)
        roads.append(road)
    return roads
