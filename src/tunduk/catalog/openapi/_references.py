"""References in an OpenAPI document: inside the document only, and bounded when expanded.

A reference is an alias: like YAML's, a few of them can stand for an enormous document
(``A`` lists ``B`` nine times, ``B`` lists ``C`` nine times, ...) and the validator follows
every one. So references must point inside the document (``#/…``), must point at
something, and the document they expand to is bounded (:data:`MAX_EXPANDED_VALUES`,
:data:`MAX_REFERENCES_FOLLOWED`; a reference back into its own expansion counts once).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext as _

from tunduk.core.errors import InvalidInput

FIELD = "openapi_document"
REFERENCE_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
BASE_KEYS = ("$id",)
MAX_EXPANDED_VALUES = 1_000_000
"""Values the document may hold once every reference is replaced by its target."""
MAX_REFERENCES_FOLLOWED = 5_000
"""References followed while expanding; the validator follows each, at about a millisecond."""
SHOWN_KEY_LENGTH = 60
"""Characters of each key shown in a place; keys are named, values never."""


def where(path: tuple[str | int, ...]) -> str:
    """The keys leading to a place, shortened (``paths › /births › get``)."""
    parts = [str(part)[:SHOWN_KEY_LENGTH] for part in path]
    return " › ".join(parts) or _("the top level")


def _walk(document: Any) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every object in the document with the keys leading to it (iterative: depth is bounded)."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            yield path, value
            pending.extend(((*path, key), child) for key, child in value.items())
        elif isinstance(value, list):
            pending.extend(((*path, index), child) for index, child in enumerate(value))


def check_references(document: dict[str, Any]) -> None:
    """Refuse every reference that leaves the document or points at nothing in it."""
    for path, node in _walk(document):
        for key in BASE_KEYS:
            if isinstance(node.get(key), str):
                raise InvalidInput(
                    _(
                        "The OpenAPI document uses %(key)s at %(where)s, which is not accepted: "
                        "references are resolved inside the document only."
                    )
                    % {"key": key, "where": where(path)},
                    field=FIELD,
                    check="external_reference",
                )
        for key in REFERENCE_KEYS:
            target = node.get(key)
            if not isinstance(target, str):
                continue
            if not target.startswith("#/"):
                raise InvalidInput(
                    _(
                        "The OpenAPI document has a reference at %(where)s that leaves the "
                        "document; only references inside the document (“#/…”, for example "
                        "#/components/schemas/Name) are accepted."
                    )
                    % {"where": where((*path, key))},
                    field=FIELD,
                    check="external_reference",
                )
            if _target(document, target) is _NOWHERE:
                raise InvalidInput(
                    _(
                        "The OpenAPI document has a reference at %(where)s that cannot be "
                        "resolved: nothing in the document is at that place."
                    )
                    % {"where": where((*path, key))},
                    field=FIELD,
                    check="unresolvable_reference",
                )


_NOWHERE = object()


def _target(document: Any, reference: str) -> Any:
    """The value a ``#/…`` reference (an RFC 6901 pointer, URI-encoded) names, or ``_NOWHERE``."""
    value = document
    for token in unquote(reference[1:]).split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _NOWHERE
    return value


def check_expansion(document: dict[str, Any]) -> None:
    """Refuse a document whose references expand it beyond the limits (a reference bomb).

    Walks the document as the validator would see it, replacing each reference by its
    target, within a budget, so the check itself costs at most the limits.
    """
    values, followed = 0, 0
    pending: list[tuple[Any, frozenset[str]]] = [(document, frozenset())]
    while pending:
        value, expanding = pending.pop()
        values += 1
        if values > MAX_EXPANDED_VALUES or followed > MAX_REFERENCES_FOLLOWED:
            raise InvalidInput(
                _(
                    "The OpenAPI document's references expand it beyond %(values)d values or "
                    "%(followed)d references followed; refer to shared parts less often or "
                    "less deeply."
                )
                % {"values": MAX_EXPANDED_VALUES, "followed": MAX_REFERENCES_FOLLOWED},
                field=FIELD,
                check="reference_expansion",
            )
        if isinstance(value, list):
            pending.extend((child, expanding) for child in value)
        elif isinstance(value, dict):
            pending.extend((child, expanding) for child in value.values())
            for key in REFERENCE_KEYS:
                reference = value.get(key)
                # A reference back into its own expansion is recursion, which validators stop.
                if isinstance(reference, str) and reference not in expanding:
                    followed += 1
                    pending.append((_target(document, reference), expanding | {reference}))
