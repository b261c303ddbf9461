"""Hostile documents: bounded depth and values, no YAML anchors or aliases, finite numbers."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.hostile_documents import BILLION_LAUGHS
from tunduk.untrusted import DocumentShapeError, ShapeRule, check_shape, load_json, load_yaml

LIMITS = {"max_depth": 8, "max_items": 50}


def _rule(load, data) -> DocumentShapeError:
    with pytest.raises(DocumentShapeError) as caught:
        load(data, **LIMITS)
    return caught.value


def test_values_within_the_limits_load_unchanged():
    """Issue 7 (1): ordinary JSON and YAML load as plain data."""
    text = '{"a": [1, 2.5, "x", null, true], "b": {"c": {}}}'
    assert load_json(text, **LIMITS) == json.loads(text)
    assert load_yaml("a: [1, 2.5, x, null, true]\nb: {c: {}}\n", **LIMITS) == json.loads(text)


@pytest.mark.parametrize("load", [load_json, load_yaml], ids=["json", "yaml"])
def test_depth_is_bounded_whatever_the_nesting(load):
    """Issue 7 (1): one level more than allowed, or far too many, is refused as depth."""
    assert load("[" * 8 + "]" * 8, **LIMITS) is not None
    for depth in (9, 5_000, 200_000):
        error = _rule(load, "[" * depth + "]" * depth)
        assert error.rule is ShapeRule.DEPTH and error.limit == 8


@pytest.mark.parametrize("load", [load_json, load_yaml], ids=["json", "yaml"])
def test_number_of_values_is_bounded(load):
    """Issue 7 (1): more values than allowed are refused (the list counts as one)."""
    assert load("[" + ",".join(["0"] * 49) + "]", **LIMITS) is not None
    assert _rule(load, "[" + ",".join(["0"] * 50) + "]").rule is ShapeRule.ITEMS


def test_yaml_anchors_and_aliases_are_refused_at_the_first_one():
    """Issue 7 (1): an anchor alone, an alias and a merge key are each refused with the line."""
    for text, line in (
        ("a: &x 1\n", 1),
        ("a: 1\nb: &x [1]\nc: *x\n", 2),
        ("base: {k: 1}\nmerged:\n  <<: *base\n", 3),
        (BILLION_LAUGHS, 3),
    ):
        error = _rule(load_yaml, text)
        assert error.rule is ShapeRule.ALIAS and error.line == line


def test_non_finite_numbers_are_refused():
    """Issue 7 (1): NaN and infinity (YAML .inf, or a JSON number too large) are refused."""
    assert _rule(load_yaml, "a: .inf\n").rule is ShapeRule.NUMBER
    assert _rule(load_json, "[1e999]").rule is ShapeRule.NUMBER


def test_yaml_tags_that_build_objects_are_a_syntax_error():
    """Issue 7 (1): the safe loader refuses python tags rather than building objects."""
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: !!python/object/apply:os.system [echo]\n", **LIMITS)


def test_check_shape_walks_without_recursion():
    """Issue 7 (1): measuring a value nested far past the recursion limit does not overflow."""
    value: list = []
    for _ in range(50_000):
        value = [value]
    with pytest.raises(DocumentShapeError) as caught:
        check_shape(value, max_depth=100, max_items=10**6)
    assert caught.value.rule is ShapeRule.DEPTH
