"""The API's JSON parser: a body nested deeper than ``limits.JSON_DEPTH`` is refused.

Python's ``json`` recurses once per level, so a body like ``[[[[…]]]]`` a few thousand
levels deep raises ``RecursionError`` somewhere (in the parser, or later in a validator
or encoder walking the result) and would end as a 500. The depth is measured on the raw
text before parsing, without recursion.

The body must be UTF-8 (RFC 8259 §8.1) and is parsed as that text: ``json.loads`` given
bytes would also accept UTF-16 and UTF-32, whose bytes the depth measure cannot read.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from tunduk import limits

# A JSON string, escapes included: its brackets are text, not nesting.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonTooDeep(ValueError):
    """The body nests arrays and objects deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body`` (0 for a scalar)."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    return max(accumulate(_STEP[byte] for byte in brackets), default=0)


class BoundedJsonParser(Parser):
    """ninja's JSON parser with a depth limit checked before ``json.loads``."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """The parsed body; ``JsonTooDeep`` if it nests beyond ``limits.JSON_DEPTH``,
        ``UnicodeDecodeError`` if it is not UTF-8."""
        text = request.body.decode("utf-8")
        if nesting_depth(request.body) > limits.JSON_DEPTH:
            raise JsonTooDeep(limits.JSON_DEPTH)
        return cast(dict[str, Any], json.loads(text))
