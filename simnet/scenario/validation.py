"""Validate a merged scenario document and turn pydantic's errors into located problems."""

from __future__ import annotations

import difflib
import inspect
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from simnet.scenario.errors import Path, Problem, ScenarioError
from simnet.scenario.layers import Document
from simnet.scenario.models import Scenario
from simnet.scenario.models.base import RuleError


def validate_document(document: Document) -> Scenario:
    """Validate the whole document once; every problem is reported with its place."""
    try:
        return Scenario.model_validate(document.data)
    except ValidationError as exc:
        errors = _without_echoes(exc.errors(include_url=False))
        problems = {_problem(error, document): None for error in errors}
        raise ScenarioError(list(problems)) from None


def _without_echoes(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop 'too short' errors of a list whose own item failed: the item's error says it all."""
    item_locs = [error["loc"] for error in errors if error["type"] != "too_short"]
    return [
        error
        for error in errors
        if error["type"] != "too_short"
        or not any(loc[: len(error["loc"])] == error["loc"] and len(loc) > len(error["loc"]) for loc in item_locs)
    ]


def _problem(error: ErrorDetails, document: Document) -> Problem:
    path, _ = _data_path(error["loc"])
    kind = error["type"]
    found = _describe(error.get("input"))
    context = error.get("ctx") or {}
    last = path[-1] if path else ""
    hint = ""
    if kind == "extra_forbidden":
        valid = _field_names(_data_path(error["loc"][:-1])[1])
        message = f"unknown key {last!r}"
        hint = _suggest(str(last), valid, "key")
        return Problem(document.source_map.locate(path, key=True), path, message, hint)
    if kind == "missing":
        message = f"required key {last!r} is missing"
        hint = f"add '{last}: ...' here"
    elif kind == "value_error" and isinstance(context.get("error"), RuleError):
        rule = context["error"]
        path = (*path, *rule.path)
        message = str(rule)
        hint = rule.hint
    elif kind == "union_tag_invalid":
        expected = _quoted_values(str(context.get("expected_tags", "")))
        message = f"unknown kind {context.get('tag')!r}; expected one of {', '.join(expected)}"
        hint = _suggest(str(context.get("tag")), expected, "kind")
    elif kind == "union_tag_not_found":
        message = f"a 'kind' key is needed here; found {found}"
        hint = "add e.g. 'kind: exponential'"
    elif kind == "literal_error":
        expected = _quoted_values(str(context.get("expected", "")))
        message = f"expected one of {', '.join(repr(value) for value in expected)}; found {found}"
        hint = _suggest(_short_text(error.get("input")), expected, "value")
    else:
        message = f"{_expected(error['msg'])}; found {found}"
        hint = _numeric_hint(kind, context)
    return Problem(document.source_map.locate(path), path, message, hint)


def _expected(message: str) -> str:
    text = message.replace("Input should be", "expected").replace("Value error, ", "")
    for bound in ("greater than", "less than"):
        text = text.replace(f"expected {bound}", f"expected a value {bound}")
    return text[0].lower() + text[1:] if text else "invalid value"


def _numeric_hint(kind: str, context: dict[str, Any]) -> str:
    bounds = {
        "greater_than": ("greater than", "gt"),
        "greater_than_equal": ("at least", "ge"),
        "less_than": ("less than", "lt"),
        "less_than_equal": ("at most", "le"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"use a value {words} {context.get(key)}"
    if kind == "int_from_float":
        return "use a whole number here"
    if kind in {"int_parsing", "float_parsing", "int_type", "float_type"}:
        return "write a plain number such as 5000000, 5_000_000 or 5e6"
    if kind in {"too_short", "too_long"}:
        return "check the number of entries"
    return ""


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short_text(value: Any) -> str:
    text = value if isinstance(value, str) else _describe(value)
    return text[:200]


def _quoted_values(text: str) -> list[str]:
    return [part for index, part in enumerate(text.split("'")) if index % 2 == 1]


def _suggest(found: str, valid: list[str], noun: str) -> str:
    if not valid:
        return ""
    close = difflib.get_close_matches(found, valid, n=1, cutoff=0.6)
    listing = ", ".join(valid)
    if close:
        return f"did you mean {close[0]!r}? Valid {noun}s here: {listing}"
    return f"valid {noun}s here: {listing}"


def _field_names(model: Any) -> list[str]:
    if inspect.isclass(model) and issubclass(model, BaseModel):
        return [info.alias or name for name, info in model.model_fields.items()]
    return []


def _data_path(loc: tuple[int | str, ...]) -> tuple[Path, Any]:
    """Follow pydantic's error location through the model types to the path in the document.

    Pydantic puts union tags (``exponential``) and dict-key markers (``[key]``) into its
    locations; they are not keys of the document, so they are dropped here.
    """
    path: list[str | int] = []
    current: Any = Scenario
    for item in loc:
        current = _unwrap(current)
        members = _union_members(current)
        if members is not None:
            chosen = _member_for_tag(members, item)
            if chosen is not None:
                current = chosen
                continue
        if item == "[key]":
            continue
        path.append(item)
        current = _child_type(current, item)
    return tuple(path), _unwrap(current)


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    members = _union_members(annotation)
    if members is not None:
        non_null = [member for member in members if member is not type(None)]
        if len(non_null) == 1:
            return _unwrap(non_null[0])
    return annotation


def _union_members(annotation: Any) -> list[Any] | None:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [_strip_annotated(member) for member in typing.get_args(annotation)]
    return None


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _member_for_tag(members: list[Any], tag: int | str) -> Any:
    for member in members:
        if inspect.isclass(member) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if (
                kind is not None
                and typing.get_origin(kind.annotation) is Literal
                and tag in typing.get_args(kind.annotation)
            ):
                return member
        name = getattr(member, "__name__", None)
        if name is not None and name == tag:
            return member
    return None


def _child_type(annotation: Any, item: int | str) -> Any:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if item in (name, info.alias):
                return info.annotation if not info.metadata else typing.Annotated[info.annotation, *info.metadata]
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None
