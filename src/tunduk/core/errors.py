"""Errors the services of every app raise, each with a stable code and a translated message.

A page shows the message next to the field it names (``tunduk.core.forms.show_error``); the
API answers with the code and the HTTP status (``tunduk.api.errors``).

``RuleError``
 ├── ``TransitionError``   the element is not in a state that allows the action
 ├── ``IncompleteRecord``  fields of 000 §20 are missing (lists which)
 ├── ``InvalidInput``      a value breaks a rule (names the field)
 ├── ``NotPermitted``      the user may not act on this object (HTTP 403)
 └── ``RateLimited``       too many requests from one address (HTTP 429, ``retry_after``)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise

from tunduk.core.actors import Actor


class RuleError(Exception):
    """A business rule refused the action; ``code`` is stable, ``message`` is translated."""

    code = "rule_error"
    status_code = 400

    def __init__(self, message: str | Promise, *, field: str = "", **detail: object) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        # Values go to JSON (API errors) and the audit trail, so any JSON-serialisable type.
        self.detail: dict[str, Any] = detail


class TransitionError(RuleError):
    code = "invalid_state"
    status_code = 409


class IncompleteRecord(RuleError):
    code = "incomplete_record"

    def __init__(self, message: str | Promise, *, missing: list[int]) -> None:
        super().__init__(message, field="record", missing=missing)
        self.missing = missing


class InvalidInput(RuleError):
    code = "invalid_input"


class NotPermitted(RuleError):
    """Refused for lack of rights; the attempt is audited once the transaction has rolled back."""

    code = "permission_denied"
    status_code = 403

    def __init__(
        self,
        message: str | Promise,
        *,
        actor: Actor | None = None,
        obj: models.Model | None = None,
        field: str = "",
        **detail: object,
    ) -> None:
        super().__init__(message, field=field, **detail)
        self.actor = actor
        self.obj = obj
        self.recorded = False


def clean_or_raise(
    obj: models.Model, *, exclude: Iterable[str] = (), where: tuple[str, int] | None = None
) -> None:
    """Run the model's validation; turn the first error into ``InvalidInput`` naming the field.

    ``where`` names a row of a list, e.g. ``("software", 0)``: the message then says
    ``software[0].name`` and the field is ``software.0.name``.
    """
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label, field = name, name
        if where is not None:
            label, field = f"{where[0]}[{where[1]}].{name}", f"{where[0]}.{where[1]}.{name}"
        raise InvalidInput(f"{label}: {' '.join(messages)}", field=field) from error


class RateLimited(RuleError):
    """Too many requests from one client address; ``detail["retry_after"]`` is in seconds."""

    code = "rate_limited"
    status_code = 429
