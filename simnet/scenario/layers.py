"""Layers of a scenario document: ``extends`` chains, deep merges and ``--set`` overrides.

Each layer is a plain dict with the places its values were written; layers merge into one
document that the models validate once.
"""

from __future__ import annotations

import copy
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from simnet.scenario.errors import Location, Path, ScenarioError, format_path
from simnet.scenario.source_map import NodePlace, SourceMap
from simnet.scenario.yaml_source import parse_override_value, parse_yaml_text

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read: the baseline is 8 kB and a city of 2,240 villages listed one by one
180 kB; parsing 1 MB takes about 3 s, so anything larger is refused at once, not after minutes."""

MAX_EXTENDS_DEPTH = 32
"""Longest ``extends`` chain: variants of variants stay a few files deep."""


@dataclass
class Document:
    """A scenario document before validation, and where each of its values came from."""

    data: dict[str, Any]
    source_map: SourceMap
    files: tuple[FilePath, ...]


def read_scenario_file(path: FilePath, chain: tuple[FilePath, ...] = (), named_at: Location | None = None) -> Document:
    """Read a scenario file and the files it ``extends``, merged base first.

    ``named_at`` is the ``extends`` entry that named this file, where a file that cannot be read is reported.
    """
    shown = str(path)
    resolved = path.resolve()
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError.single(
            Location(shown), f"'extends' chains more than {MAX_EXTENDS_DEPTH} files", "shorten the chain"
        )
    data, source_map = _parse_mapping(_read_text(path, named_at), shown)
    extends = data.pop("extends", None)
    layer = Document(data=data, source_map=source_map, files=(resolved,))
    if extends is None:
        return layer
    bases = [extends] if isinstance(extends, str) else extends
    if not isinstance(bases, list) or not bases or not all(isinstance(base, str) and base for base in bases):
        raise ScenarioError.single(
            source_map.locate(("extends",)),
            f"'extends' must name a scenario file or a list of them; found {extends!r}",
            "write e.g. 'extends: baseline.yaml' (relative to this file)",
            ("extends",),
        )
    merged: Document | None = None
    for index, base in enumerate(bases):
        base_path = FilePath(os.path.normpath(path.parent / base))
        place: Path = ("extends",) if isinstance(extends, str) else ("extends", index)
        if base_path.resolve() in (*chain, resolved):
            cycle = " → ".join(str(p) for p in (*chain, resolved, base_path.resolve()))
            raise ScenarioError.single(
                source_map.locate(place),
                f"'extends' forms a cycle: {cycle}",
                "remove the 'extends' that leads back to a file already in the chain",
                place,
            )
        if not base_path.exists():
            raise ScenarioError.single(
                source_map.locate(place),
                f"'extends' names {base!r}, but there is no file {base_path}",
                "give the path relative to this scenario file",
                place,
            )
        base_document = read_scenario_file(base_path, (*chain, resolved), source_map.locate(place))
        merged = base_document if merged is None else merge_documents(merged, base_document)
    assert merged is not None
    return merge_documents(merged, layer)


def _read_text(path: FilePath, place: Location | None = None) -> str:
    """The text of a scenario file, refused by type and size before any of it is read.

    Only a regular file is opened for reading (a FIFO would block, ``/dev/zero`` never ends); the
    file is opened without blocking and checked through its own descriptor, so it cannot be swapped
    between the check and the read. ``place`` locates the problem where the file was named (an
    ``extends`` line); the file's own path is the location otherwise.
    """
    where = place or Location(str(path))
    named = "" if place is None else f"{path}: "
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError.single(
            where, f"{named}no such file", "check the path (scenarios usually live in scenarios/)"
        ) from None
    except OSError as exc:
        raise ScenarioError.single(
            where, f"{named}cannot open the file: {exc.strerror}", "check the path and its permissions"
        ) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise ScenarioError.single(
                where, f"{named}this is {_file_type(status.st_mode)}, not a scenario file", "name a .yaml file"
            )
        if status.st_size > MAX_FILE_BYTES:
            raise ScenarioError.single(where, *_too_large(named, status.st_size))
        raw = read_at_most(descriptor, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError.single(where, f"{named}cannot read the file: {exc.strerror}", "check the path") from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_FILE_BYTES:  # grew after it was checked
        raise ScenarioError.single(where, *_too_large(named, len(raw)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            where,
            f"{named}not a UTF-8 text file (undecodable byte at offset {exc.start})",
            "save the scenario as UTF-8 text (YAML)",
        ) from None


def read_at_most(descriptor: int, limit_bytes: int) -> bytes:
    """Up to ``limit_bytes`` of an open file, to its end."""
    chunks: list[bytes] = []
    size = 0
    while size < limit_bytes:
        chunk = os.read(descriptor, limit_bytes - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_large(named: str, size_bytes: int) -> tuple[str, str]:
    """Message and fix for a file over the size limit."""
    return (
        f"{named}the file is {size_bytes:,} bytes, more than a scenario file may be ({MAX_FILE_BYTES:,} bytes)",
        "check that this is the scenario file you meant; a city this large is better generated ('network.generate')",
    )


def _file_type(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def _parse_mapping(text: str, source: str) -> tuple[dict[str, Any], SourceMap]:
    data, source_map = parse_yaml_text(text, source)
    if not isinstance(data, dict):
        raise ScenarioError.single(
            source_map.locate(()),
            f"a scenario must be a mapping of keys to values; found {_kind(data)}",
            "start the file with keys such as 'name: my city'",
        )
    return data, source_map


def document_from_text(text: str, source: str) -> Document:
    """A document from YAML text alone (no ``extends``), e.g. for tests and notebooks."""
    data, source_map = _parse_mapping(text, source)
    if "extends" in data:
        raise ScenarioError.single(
            source_map.locate(("extends",), key=True),
            "'extends' needs a scenario file to resolve relative paths against",
            "load the scenario from its file",
            ("extends",),
        )
    return Document(data=data, source_map=source_map, files=())


def merge_documents(base: Document, top: Document) -> Document:
    """Deep-merge ``top`` over ``base``: mappings merge key by key, anything else is replaced."""
    data = copy.deepcopy(base.data)
    source_map = SourceMap(places=dict(base.source_map.places), fallback=top.source_map.fallback)
    _merge_into(data, top.data, (), source_map, top.source_map)
    return Document(data=data, source_map=source_map, files=(*base.files, *top.files))


def _merge_into(
    target: dict[str, Any], top: dict[str, Any], path: Path, source_map: SourceMap, top_map: SourceMap
) -> None:
    for key, value in top.items():
        sub_path = (*path, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            place = top_map.places.get(sub_path)
            if place is not None:
                source_map.record(sub_path, place)
            _merge_into(target[key], value, sub_path, source_map, top_map)
        else:
            target[key] = copy.deepcopy(value)
            source_map.replace_subtree(sub_path, top_map)


@dataclass(frozen=True)
class Override:
    """One value set on top of a scenario: its dotted key path, the value, and where it was asked for."""

    keys: tuple[str, ...]
    value: Any
    location: Location


def parse_override(text: str, option: str = "--set") -> Override:
    """Read ``section.key=value`` (value in YAML syntax) as given to ``option``."""
    location = Location(f"{option} {text}")
    key_text, separator, value_text = text.partition("=")
    keys = tuple(key.strip() for key in key_text.split("."))
    if not separator or not all(keys):
        raise ScenarioError.single(
            location, "an override must look like 'section.key=value'", f"write e.g. {option} hub.capacity_per_day=4e6"
        )
    return Override(keys, parse_override_value(value_text, location.source), location)


def apply_overrides(document: Document, overrides: Sequence[str | Override]) -> Document:
    """Apply overrides (``key.path=value`` text or parsed); ``carriers.0.share`` indexes a list."""
    data = copy.deepcopy(document.data)
    source_map = SourceMap(places=dict(document.source_map.places), fallback=document.source_map.fallback)
    for override in overrides:
        _apply_override(data, source_map, parse_override(override) if isinstance(override, str) else override)
    return Document(data=data, source_map=source_map, files=document.files)


def _apply_override(data: dict[str, Any], source_map: SourceMap, override: Override) -> None:
    location = override.location
    keys = override.keys
    value = copy.deepcopy(override.value)
    cursor: Any = data
    path: Path = ()
    replaced: list[Path] = []
    for position, key in enumerate(keys):
        step = _index_into(cursor, key, path, location)
        path = (*path, step)
        if position == len(keys) - 1:
            cursor[step] = value
            break
        child = cursor[step] if isinstance(step, int) else cursor.get(step)
        if child is None and _is_index(keys[position + 1]):
            raise ScenarioError.single(
                location,
                "this list is not written in the scenario (its default applies), so it has no entries to index",
                f"write the whole list, e.g. --set {format_path(path)}=[...], or list it in the file",
                path,
            )
        if not isinstance(child, dict | list):
            child = {}
            cursor[step] = child
            replaced.append(path)
        cursor = child
    override_map = SourceMap(fallback=location)
    place = NodePlace(value=location, key=location)
    for end in range(1, len(path)):
        if not source_map.covers(path[:end]) or path[:end] in replaced:
            source_map.record(path[:end], place)
    _record_all(value, path, override_map, place)
    source_map.replace_subtree(path, override_map)


def _is_index(key: str) -> bool:
    return key.isascii() and key.isdigit()


def _index_into(cursor: dict[str, Any] | list[Any], key: str, path: Path, location: Location) -> str | int:
    """The dict key or list index that ``key`` names in ``cursor``."""
    if not isinstance(cursor, list):
        return key
    if not _is_index(key) or int(key) >= len(cursor):
        raise ScenarioError.single(
            location,
            f"this is a list of {len(cursor)} entries; {key!r} is not one of its indexes",
            f"use an index from 0 to {len(cursor) - 1}",
            path,
        )
    return int(key)


def _record_all(value: Any, path: Path, source_map: SourceMap, place: NodePlace) -> None:
    source_map.record(path, place)
    if isinstance(value, dict):
        for key, item in value.items():
            _record_all(item, (*path, key), source_map, place)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _record_all(item, (*path, index), source_map, place)


def _kind(value: Any) -> str:
    """What a document holds instead of a mapping, in words that never quote the file's content."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single text value"
    return "a single value"
