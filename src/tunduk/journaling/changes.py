"""Recording a change that is not an element's record: its audit event and its journal leaf.

Kept apart from ``log`` so that the tools outsiders run (``tunduk.settings.outside``, with
no audit trail installed) import the log without the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from tunduk.core.actors import Actor
from tunduk.core.audit import Event, record
from tunduk.journaling.log import append_change


def commit_event(event: Event, obj: models.Model, actor: Actor | None, **detail: Any) -> None:
    """Audit and journal a change to something other than an element's record.

    Runs inside the service's transaction: if either row cannot be written, nothing is.
    """
    record(event, actor=actor, obj=obj, **detail)
    append_change(event, obj, actor, detail)
