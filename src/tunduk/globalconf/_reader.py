"""A small typed walker over parsed JSON that remembers the path to each value."""

from __future__ import annotations

from typing import Any

from tunduk.untrusted import DocumentShapeError, ShapeRule, load_json

from ._errors import ConfigurationFormatError

_MISSING = object()

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
"""The largest document, envelope or anchor parsed (an envelope carries its document in base64)."""
MAX_DEPTH = 16
"""Levels of nesting; the format itself uses five (``members[].subsystems[].name``)."""
MAX_ITEMS = 2_000_000
"""Values in one document: far above a national configuration, far below exhausting memory."""


def loads_strict(data: bytes, path: str) -> object:
    """Parse UTF-8 JSON, refusing duplicate keys, non-finite numbers and hostile shapes.

    The bytes come from the network or a disk cache, so they are bounded in size before
    parsing and in depth and number of values while parsing.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ConfigurationFormatError(path, f"larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigurationFormatError(path, f"not UTF-8 ({error.reason})") from None
    try:
        return load_json(
            text,
            max_depth=MAX_DEPTH,
            max_items=MAX_ITEMS,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
        )
    except DocumentShapeError as error:
        raise ConfigurationFormatError(path, _SHAPE_PROBLEMS[error.rule]) from None
    except ValueError as error:
        # JSONDecodeError, and the integer digit limit (int_max_str_digits) json raises plainly.
        raise ConfigurationFormatError(path, f"not JSON: {error}") from None


_SHAPE_PROBLEMS = {
    ShapeRule.DEPTH: f"nested deeper than {MAX_DEPTH} levels",
    ShapeRule.ITEMS: f"holds more than {MAX_ITEMS} values",
    ShapeRule.NUMBER: "holds a number that is not finite",
    ShapeRule.ALIAS: "uses aliases",  # YAML only; listed so every rule has words
}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Two parsers could disagree on which value wins; a signed document is unambiguous.
            raise ConfigurationFormatError("document", f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ConfigurationFormatError("document", f"{name} is not allowed")


class Reader:
    """One JSON value and its path (``members[2].subsystems[0].name``)."""

    def __init__(self, value: object, path: str) -> None:
        self.value = value
        self.path = path

    def _error(self, message: str) -> ConfigurationFormatError:
        return ConfigurationFormatError(self.path or "document", message)

    def _child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def object(
        self, *, required: set[str], optional: frozenset[str] | set[str] = frozenset()
    ) -> dict[str, Reader]:
        """The members of an object with exactly these keys (optional ones may be absent)."""
        if not isinstance(self.value, dict):
            raise self._error("must be an object")
        for key in self.value:
            if key not in required and key not in optional:
                raise ConfigurationFormatError(self._child(key), "unknown field")
        fields: dict[str, Reader] = {}
        for key in sorted(required | set(optional)):
            value = self.value.get(key, _MISSING)
            if value is _MISSING:
                if key in required:
                    raise ConfigurationFormatError(self._child(key), "is required")
                value = None
            fields[key] = Reader(value, self._child(key))
        return fields

    def mapping(self) -> dict[str, Reader]:
        """An object with free keys (settings)."""
        if not isinstance(self.value, dict):
            raise self._error("must be an object")
        return {key: Reader(value, self._child(key)) for key, value in self.value.items()}

    def array(self) -> list[Reader]:
        """The items of a list."""
        if not isinstance(self.value, list):
            raise self._error("must be a list")
        return [Reader(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def string(self) -> str:
        """A string."""
        if not isinstance(self.value, str):
            raise self._error("must be a string")
        return self.value

    def optional_string(self) -> str | None:
        """A string or null."""
        return None if self.value is None else self.string()

    def integer(self) -> int:
        """An integer (``true`` is not one)."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self._error("must be an integer")
        return self.value
