"""The one place where an element change is made durable: version, audit event, journal leaf.

Every service that changes an element calls ``commit_change`` inside its transaction; if
any of the three rows cannot be written the whole change is rolled back. The transaction
around it is ``tunduk.core.services.service``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from tunduk.accounts.actors import signed_in_user
from tunduk.core.actors import Actor
from tunduk.core.audit import Event, record
from tunduk.journaling.log import append_change
from tunduk.registry import snapshot
from tunduk.registry.models import Element, ElementVersion
from tunduk.registry.proposals import element_proposal_numbers


def commit_change(
    element: Element,
    event: Event,
    actor: Actor,
    *,
    journal: Sequence[models.Model] = (),
    proposal: dict[str, Any] | None = None,
    **detail: Any,
) -> ElementVersion:
    """Store a new version of ``element`` after ``event``, with its diff, audit and journal.

    ``journal`` lists other rows the change stored (a submission, a decision, a notice);
    each gets its own leaf beside the version's. With ``proposal`` the version records a
    state of a proposed change (``registry.proposals``), compared with the state before it;
    otherwise it records the element's stored record, compared with the last such version,
    so the registered record's history never shows a proposal's values.
    """
    previous = element.versions.order_by("-number").first()
    if proposal is not None:
        current, base = proposal, previous
    else:
        current = snapshot.take(element)
        hidden = element_proposal_numbers(element)
        base = element.versions.exclude(number__in=hidden).order_by("-number").first()
    element.version_number = (previous.number if previous else 0) + 1
    element.save(update_fields=["version_number", "updated_at"])
    version = ElementVersion.objects.create(
        element=element,
        number=element.version_number,
        status=element.status,
        event=str(event),
        snapshot=current,
        changes=snapshot.diff(base.snapshot if base else None, current),
        actor=signed_in_user(actor) if actor.is_authenticated else None,
    )
    record(event, actor=actor, obj=element, version=version.number, **detail)
    for row in journal:
        append_change(event, row, actor, detail)
    version.journal_index = append_change(event, version, actor, detail)
    version.save(update_fields=["journal_index"])
    return version
