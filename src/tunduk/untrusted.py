"""Parsing documents that come from outside: bounded depth and item count, no YAML aliases.

Every document the project parses from users or the network (OpenAPI documents, the
global configuration, anything uploaded) is hostile until checked. The parsers here
read no files, make no requests and never expand YAML anchors: a few hundred bytes of
aliases can otherwise expand to gigabytes. Callers bound the size of the bytes first;
these functions bound what the bytes may turn into. No Django import: the gateway and
the global configuration use this module too.

Exceptions::

    ValueError
     └── DocumentShapeError   .rule (ShapeRule), .limit, .line (YAML only, 1-based)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import yaml

__all__ = ["DocumentShapeError", "ShapeRule", "check_shape", "load_json", "load_yaml"]

# libyaml when the wheel has it (it has on every supported platform); same behaviour.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class ShapeRule(StrEnum):
    """Which bound a document broke."""

    DEPTH = "depth"
    ITEMS = "items"
    ALIAS = "alias"
    NUMBER = "number"


class DocumentShapeError(ValueError):
    """A document is nested too deeply, holds too many values, a YAML alias or a non-finite number."""

    def __init__(self, rule: ShapeRule, limit: int = 0, line: int | None = None) -> None:
        super().__init__(f"{rule}: limit {limit}" + (f", line {line}" if line else ""))
        self.rule = rule
        self.limit = limit
        self.line = line


def check_shape(value: object, *, max_depth: int, max_items: int) -> None:
    """Raise :class:`DocumentShapeError` if ``value`` nests deeper than ``max_depth``
    containers, holds more than ``max_items`` values, or a NaN or infinite number.

    Iterative, so a deep value cannot exhaust the stack while it is being measured.
    """
    pending: list[tuple[object, int]] = [(value, 0)]
    seen = 0
    while pending:
        item, depth = pending.pop()
        seen += 1
        if seen > max_items:
            raise DocumentShapeError(ShapeRule.ITEMS, max_items)
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            if isinstance(item, float) and not math.isfinite(item):
                raise DocumentShapeError(ShapeRule.NUMBER)
            continue
        if depth >= max_depth:
            raise DocumentShapeError(ShapeRule.DEPTH, max_depth)
        pending.extend((child, depth + 1) for child in children)


def load_json(
    data: str | bytes,
    *,
    max_depth: int,
    max_items: int,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_constant: Callable[[str], Any] | None = None,
) -> object:
    """``json.loads`` (with the two hooks passed on) that refuses what :func:`check_shape` refuses.

    Raises ``ValueError`` (``json.JSONDecodeError``) for bad syntax and
    :class:`DocumentShapeError` for a bad shape.
    """
    try:
        value = json.loads(data, object_pairs_hook=object_pairs_hook, parse_constant=parse_constant)
    except RecursionError:
        # The C decoder guards its recursion; far deeper than any limit callers set.
        raise DocumentShapeError(ShapeRule.DEPTH, max_depth) from None
    check_shape(value, max_depth=max_depth, max_items=max_items)
    return value


def load_yaml(data: str | bytes, *, max_depth: int, max_items: int) -> object:
    """Parse one YAML document with the safe loader, refusing anchors and aliases.

    The event stream is checked before anything is built, so a bomb is refused at its
    first anchor without being expanded. Raises ``yaml.YAMLError`` for bad syntax (and
    tags the safe loader cannot build) and :class:`DocumentShapeError` for a bad shape.
    """
    try:
        _check_events(data, max_depth=max_depth, max_items=max_items)
    except yaml.MarkedYAMLError as error:
        # libyaml stops at 1000 levels of its own accord; report it as the depth it is.
        if "nesting depth" in str(error.problem):
            raise DocumentShapeError(ShapeRule.DEPTH, max_depth) from None
        raise
    # The safe loader builds only plain data; the events were checked above.
    value = yaml.load(data, Loader=_YAML_LOADER)
    check_shape(value, max_depth=max_depth, max_items=max_items)
    return value


def _check_events(data: str | bytes, *, max_depth: int, max_items: int) -> None:
    depth = seen = 0
    for event in yaml.parse(data, Loader=_YAML_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise DocumentShapeError(ShapeRule.ALIAS, line=line)
        if isinstance(event, (yaml.ScalarEvent, *_STARTS)):
            seen += 1
            if seen > max_items:
                raise DocumentShapeError(ShapeRule.ITEMS, max_items, line)
        if isinstance(event, _STARTS):
            depth += 1
            if depth > max_depth:
                raise DocumentShapeError(ShapeRule.DEPTH, max_depth, line)
        elif isinstance(event, _ENDS):
            depth -= 1
