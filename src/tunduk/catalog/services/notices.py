"""Outages, maintenance, violations and errors: reported at once (003 §3.2.13), or published."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.catalog.choices import NoticeKind
from tunduk.catalog.models import Notice, Participant, Subsystem
from tunduk.catalog.services._common import (
    commit_event,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput
from tunduk.core.mail import queue_mail_in_their_language
from tunduk.core.text import require_one_line


@service
def report_notice(
    user: Actor,
    participant: Participant | None,
    *,
    kind: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    subsystem: Subsystem | None = None,
) -> Notice:
    """A participant reports to the operator (e-mailed at once); the operator publishes notices."""
    if participant is None:
        require_tunduk_operator(user, action="publish_notice")
    else:
        require_member_of(user, participant, action="report_notice")
    if kind not in NoticeKind.values:
        raise InvalidInput(_("Unknown kind of notice."), field="kind")
    if not title.strip() or not description.strip():
        raise InvalidInput(
            _("Give a title and a description."),
            field="title" if not title.strip() else "description",
        )
    require_one_line(title, "title")
    if ends_at is not None and ends_at < starts_at:
        raise InvalidInput(_("The end cannot be before the start."), field="ends_at")
    if subsystem is not None and (
        participant is None or subsystem.participant_id != participant.pk
    ):
        raise InvalidInput(_("The subsystem belongs to another participant."), field="subsystem")
    notice = Notice.objects.create(
        participant=participant,
        subsystem=subsystem,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        reported_by=signed_in_user(user),
    )
    commit_event(Event.NOTICE_REPORTED, notice, user, kind=kind)
    if participant is not None:
        operators = User.objects.filter(role=Role.TUNDUK_OPERATOR, is_active=True)
        queue_mail_in_their_language(
            operators.values_list("email", "language"),
            lambda: (
                _("Tunduk notice: %(title)s") % {"title": notice.title},
                f"{participant.identifier}: {notice.get_kind_display()}\n{notice.title}"
                f"\n\n{notice.description}",
            ),
        )
    return notice
