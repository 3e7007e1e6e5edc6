"""Safe YAML parsing that remembers the line and column of every value.

PyYAML's composer builds a node tree (no object construction, so no code runs); this module
turns the nodes into plain dicts, lists and scalars itself, with the YAML 1.2 core scalar rules
plus ``5_000_000`` and ``5e6`` as numbers, and guards against documents that explode through
aliases, recurse, nest too deeply or repeat a key.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simnet.scenario.errors import Location, Path, Problem, ScenarioError
from simnet.scenario.source_map import NodePlace, SourceMap

MAX_VALUES = 100_000
"""Most values one document may expand to (aliases included): scenarios have a few thousand."""

MAX_DEPTH = 200
"""Deepest nesting accepted; scenarios nest fewer than ten levels."""

MAX_NUMBER_CHARS = 40
"""Longest number accepted; scenario numbers have at most a dozen digits."""

MAX_TEXT_CHARS = 1_000_000
"""Largest scenario text accepted (as ``layers.MAX_FILE_BYTES``), so a wrong text is refused before it is parsed."""

_TAG = "tag:yaml.org,2002:"
_DIGITS = r"[0-9]+(?:_[0-9]+)*"
"""Decimal digits, optionally grouped by single underscores between digits (``5_000_000``)."""
_INT = re.compile(rf"^(?:[-+]?{_DIGITS}|0x[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0o[0-7]+(?:_[0-7]+)*)$")
_FLOAT = re.compile(
    rf"^[-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?[0-9]+)?$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)
"""YAML 1.2 core-schema numbers (hex and octal unsigned), plus digit groups: anything else is text.

Underscores only stand between two digits, so ``0x_``, ``1__0`` and ``_1`` are text, never a
number that fails to convert; a numeric field given such text gets a located validation error.
"""
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


_SafeLoader: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
"""libyaml's parser where PyYAML has it (six times faster on a large file), the same rules either way."""


class _CoreSchemaLoader(_SafeLoader):  # type: ignore[misc]  # a base chosen at import time
    """SafeLoader with YAML 1.2 core-schema scalars: ``no``/``on`` stay strings, ``6:30`` too."""


_CoreSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", _BOOL, "tTfF"),
    ("null", _NULL, "~nN"),
    ("int", _INT, "-+0123456789"),
    ("float", _FLOAT, "-+0123456789."),
):
    _CoreSchemaLoader.add_implicit_resolver(_TAG + _tag, _pattern, list(_first))
_CoreSchemaLoader.add_implicit_resolver(_TAG + "null", _NULL, [""])


def resolves_to_text(text: str) -> bool:
    """Whether ``text`` written as a plain (unquoted) scalar would load back as a string."""
    return not any(pattern.match(text) for pattern in (_BOOL, _NULL, _INT, _FLOAT))


def _location(node: Node, source: str) -> Location:
    mark = node.start_mark
    return Location(source, mark.line + 1, mark.column + 1)


def _mark_location(mark: Any, source: str) -> Location:
    if mark is None:
        return Location(source)
    return Location(source, mark.line + 1, mark.column + 1)


def parse_yaml_text(text: str, source: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and the places they were written.

    Raises ``ScenarioError`` for anything that is not a single, sane YAML document.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ScenarioError.single(
            Location(source),
            f"the file has {len(text):,} characters, more than a scenario can ({MAX_TEXT_CHARS:,})",
            "check that this is the scenario file you meant",
        )
    try:
        nodes = list(yaml.compose_all(text, Loader=_CoreSchemaLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "not valid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own, deeper limit
            raise ScenarioError.single(
                _mark_location(mark, source),
                f"the YAML nests more than {MAX_DEPTH} levels deep",
                "flatten the document",
            ) from None
        context = f" ({exc.context})" if exc.context else ""
        raise ScenarioError.single(
            _mark_location(mark, source),
            f"not valid YAML: {problem}{context}",
            "check the indentation, colons and quotes near this place",
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError.single(Location(source), f"not valid YAML: {exc}", "check the file's syntax") from None
    except RecursionError:
        raise ScenarioError.single(
            Location(source), f"the YAML nests more than {MAX_DEPTH} levels deep", "flatten the document"
        ) from None
    if not nodes:
        raise ScenarioError.single(
            Location(source, 1, 1),
            "the file is empty: expected a scenario mapping such as 'name: my city'",
            "write at least 'name: ...', or 'extends: baseline.yaml' and the keys you change",
        )
    if len(nodes) > 1:
        raise ScenarioError.single(
            _location(nodes[1], source),
            "the file holds more than one YAML document (a second '---')",
            "keep one scenario per file",
        )
    builder = _Builder(source)
    return builder.build(nodes[0], ()), builder.source_map


def parse_override_value(text: str, source: str) -> Any:
    """Parse the value of a ``--set key=value`` override with the same scalar rules as files."""
    if not text.strip():
        return None
    try:
        value, _ = parse_yaml_text(text, source)
    except ScenarioError as error:
        raise ScenarioError(
            [Problem(Location(source), problem.path, problem.message, problem.hint) for problem in error.problems]
        ) from None
    return value


class _Builder:
    """Turns a composed node tree into plain values, recording each value's place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.source_map = SourceMap(fallback=Location(source, 1, 1))
        self.values = 0
        self.active: set[int] = set()

    def fail(self, node: Node, message: str, hint: str, path: Path) -> ScenarioError:
        return ScenarioError.single(_location(node, self.source), message, hint, path)

    def build(self, node: Node, path: Path, key_node: Node | None = None) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(
                node,
                f"the document expands to more than {MAX_VALUES:,} values through anchors and aliases",
                "write the values out, or use 'extends' to share a base scenario",
                path,
            )
        if len(path) > MAX_DEPTH:
            raise self.fail(node, f"the YAML nests more than {MAX_DEPTH} levels deep", "flatten the document", path)
        key_place = _location(key_node, self.source) if key_node is not None else None
        self.source_map.record(path, NodePlace(value=_location(node, self.source), key=key_place))
        if id(node) in self.active:
            raise self.fail(node, "an alias refers to a value that contains itself", "remove the recursive alias", path)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self.check_tag(node, "seq", path)
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            self.check_tag(node, "map", path)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: Node, kind: str, path: Path) -> None:
        if node.tag != _TAG + kind:
            raise self.fail(
                node, f"unsupported YAML tag {node.tag!r}", "remove the tag: scenarios use plain YAML values", path
            )

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or (key_node.value == "<<" and key_node.style is None):
                raise self.fail(
                    key_node,
                    "mapping keys must be plain names (YAML merge keys '<<' and complex keys are not supported)",
                    "write the key as a plain name; use 'extends' to reuse another scenario",
                    path,
                )
            key = str(key_node.value)
            if key in first_seen:
                first_line = first_seen[key].start_mark.line + 1
                raise self.fail(
                    key_node,
                    f"duplicate key {key!r} (first written on line {first_line})",
                    "keep one of the two; the later one would silently win",
                    (*path, key),
                )
            first_seen[key] = key_node
            result[key] = self.build(value_node, (*path, key), key_node)
        return result

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        text = node.value
        tag = node.tag
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() == "true"
        if tag in (_TAG + "int", _TAG + "float") and len(text) > MAX_NUMBER_CHARS:
            raise self.fail(
                node,
                f"a number of {len(text)} characters is longer than any scenario value",
                f"write the number with at most {MAX_NUMBER_CHARS} characters",
                path,
            )
        if tag == _TAG + "int":
            return self.integer(text)
        if tag == _TAG + "float":
            return _float(text)
        raise self.fail(node, f"unsupported YAML tag {tag!r}", "remove the tag: scenarios use plain YAML values", path)

    @staticmethod
    def integer(text: str) -> int:
        digits = text.replace("_", "")
        based = digits.lstrip("+-").startswith(("0x", "0o"))
        return int(digits, 0) if based else int(digits)


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered.endswith(".nan"):
        return math.nan
    return float(text.replace("_", ""))
