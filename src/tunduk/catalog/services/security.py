"""Log archiving terms, monitoring consent and the operator's recommendations (003 §3.2.5, §3.2.14–15)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.models import User
from tunduk.catalog.lifecycle import (
    MONITORING,
    RECOMMENDATION,
    Action,
    monitoring_consent,
    recommendation_status,
)
from tunduk.catalog.models import Participant, Recommendation, Subsystem
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
def set_archiving(
    user: Actor, subsystem: Subsystem, retention_days: int, archive_access: str
) -> Subsystem:
    """Record how long request logs are archived and who may read them, on what terms (003 §3.2.5)."""
    require_member_of(user, subsystem.participant, obj=subsystem, action="set_archiving")
    if retention_days < 1:
        raise InvalidInput(
            _("Logs must be archived for at least one day."), field="log_retention_days"
        )
    if not archive_access.strip():
        raise InvalidInput(
            _("Say who may access the archived logs and on what terms (003 §3.2.5)."),
            field="archive_access",
        )
    subsystem.log_retention_days = retention_days
    subsystem.archive_access = archive_access.strip()
    subsystem.save(update_fields=["log_retention_days", "archive_access"])
    commit_event(Event.SUBSYSTEM_ARCHIVING_SET, subsystem, user, days=retention_days)
    return subsystem


@service
def allow_monitoring(user: Actor, participant: Participant) -> Participant:
    """The participant lets the operator monitor its components for cyber-threats (003 §3.2.14)."""
    require_member_of(user, participant, action="allow_monitoring")
    MONITORING.next_status(monitoring_consent(participant), Action.ALLOW_MONITORING)
    participant.monitoring_consent_at = timezone.now()
    participant.save(update_fields=["monitoring_consent_at"])
    commit_event(Event.MONITORING_ALLOWED, participant, user)
    return participant


@service
def issue_recommendation(
    user: Actor, participant: Participant, *, title: str, text: str, due_date: date
) -> Recommendation:
    """The operator issues a recommendation from its monitoring (003 §2.6, §3.2.15)."""
    require_tunduk_operator(user, participant, "issue_recommendation")
    if not title.strip() or not text.strip():
        raise InvalidInput(
            _("Give a title and the recommendation."),
            field="title" if not title.strip() else "text",
        )
    require_one_line(title, "title")
    if due_date < timezone.localdate():
        raise InvalidInput(_("The due date cannot be in the past."), field="due_date")
    recommendation = Recommendation.objects.create(
        participant=participant,
        title=title.strip(),
        text=text.strip(),
        due_date=due_date,
        issued_by=signed_in_user(user),
    )
    commit_event(Event.RECOMMENDATION_ISSUED, recommendation, user)
    employees = User.objects.filter(subject=participant.subject, is_active=True)
    queue_mail_in_their_language(
        employees.values_list("email", "language"),
        lambda: (
            _("Tunduk recommendation: %(title)s") % {"title": recommendation.title},
            recommendation.text,
        ),
    )
    return recommendation


@service
def report_implemented(user: Actor, recommendation: Recommendation, report: str) -> Recommendation:
    """The participant reports how it carried out a recommendation (003 §3.2.15)."""
    recommendation = (
        Recommendation.objects.select_for_update()
        .select_related("participant")
        .get(pk=recommendation.pk)
    )
    require_member_of(
        user, recommendation.participant, obj=recommendation, action="report_implemented"
    )
    RECOMMENDATION.next_status(recommendation_status(recommendation), Action.REPORT_CARRIED_OUT)
    if not report.strip():
        raise InvalidInput(_("Describe what was done."), field="implementation_report")
    recommendation.implemented_at = timezone.now()
    recommendation.implemented_by = signed_in_user(user)
    recommendation.implementation_report = report.strip()
    recommendation.save()
    commit_event(Event.RECOMMENDATION_IMPLEMENTED, recommendation, user)
    return recommendation
