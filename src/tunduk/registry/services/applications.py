"""Access applications: received, forwarded within 3 days (000 §18), granted by e-mail (000 §19)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.accounts.models import Invitation, User
from tunduk.accounts.tokens import hash_token
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError, clean_or_raise
from tunduk.core.mail import queue_mail_in_their_language
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.journaling.changes import commit_event
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication, Subject
from tunduk.registry.services import _tell
from tunduk.registry.services._references import new_reference, new_status_token
from tunduk.workdays.deadlines import Deadline, due_date

APPLICATION_FIELDS = (
    "subject_address",
    "element_full_name",
    "element_short_name",
    "element_type",
    "employee_full_name",
    "employee_position",
    "employee_email",
    "appointment_decision",
)


@service
def submit_application(subject: Subject, data: Mapping[str, Any]) -> AccessApplication:
    """Receive a subject's written notification with the content of 000 §16."""
    now = timezone.now()
    application = AccessApplication(
        subject=subject,
        received_at=now,
        forward_due=due_date(Deadline.APPLICATION_FORWARD, now),
        **{name: str(data.get(name) or "").strip() for name in APPLICATION_FIELDS},
    )
    clean_or_raise(application)
    raw_token = new_status_token()
    application.reference = new_reference()
    application.status_token_hash = hash_token(raw_token)
    application.language = get_language() or settings.LANGUAGE_CODE
    application.save()
    commit_event(Event.APPLICATION_SUBMITTED, application, None, subject=subject.pk)
    _tell.application_received(application, raw_token)
    application.issued_status_token = raw_token
    return application


def _lock(application: AccessApplication, expected: ApplicationStatus) -> AccessApplication:
    application = AccessApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != expected:
        raise TransitionError(
            _("This application is “%(status)s”; the action needs it to be “%(expected)s”.")
            % {"status": application.get_status_display(), "expected": expected.label},
            field="status",
        )
    return application


@service
def forward_application(user: Actor, application: AccessApplication) -> AccessApplication:
    """The authorised body sends the application on to the operator (000 §18)."""
    require_role(user, Role.AUTHORISED_BODY, obj=application, action="forward_application")
    application = _lock(application, ApplicationStatus.RECEIVED)
    application.status = ApplicationStatus.FORWARDED
    application.forwarded_by = signed_in_user(user)
    application.forwarded_at = timezone.now()
    application.save()
    commit_event(Event.APPLICATION_FORWARDED, application, user)
    _tell.application_forwarded(application)
    return application


@service
def reject_application(
    user: Actor, application: AccessApplication, comment: str
) -> AccessApplication:
    """Reject an application that does not meet 000 §16–17, saying why."""
    require_role(user, Role.AUTHORISED_BODY, Role.OPERATOR, obj=application, action="reject")
    if not comment.strip():
        raise InvalidInput(_("Explain why the application is rejected."), field="comment")
    application = AccessApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApplicationStatus.RECEIVED, ApplicationStatus.FORWARDED):
        raise TransitionError(_("This application has already been decided."), field="status")
    application.status = ApplicationStatus.REJECTED
    application.decided_by = signed_in_user(user)
    application.decided_at = timezone.now()
    application.decision_comment = comment.strip()
    application.save()
    commit_event(Event.APPLICATION_REJECTED, application, user)
    _tell.application_decided(application)
    return application


def _employee_for(application: AccessApplication) -> User:
    email = application.employee_email.lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.subject_id != application.subject_id:
            raise InvalidInput(
                _("The e-mail %(email)s already belongs to an employee of another subject.")
                % {"email": email},
                field="employee_email",
            )
        return existing
    return User.objects.create_user(
        username=email,
        email=email,
        password=None,
        full_name=application.employee_full_name,
        position=application.employee_position,
        role=Role.SUBJECT_EMPLOYEE,
        subject=application.subject,
    )


@service
def grant_application(user: Actor, application: AccessApplication) -> Invitation:
    """The operator grants online access: an invitation link goes to the departmental e-mail."""
    require_role(user, Role.OPERATOR, obj=application, action="grant_application")
    application = _lock(application, ApplicationStatus.FORWARDED)
    employee = _employee_for(application)
    invitation, raw_token = Invitation.issue(employee, employee.email)
    application.status = ApplicationStatus.GRANTED
    application.decided_by = signed_in_user(user)
    application.decided_at = timezone.now()
    application.employee = employee
    application.save()
    commit_event(Event.APPLICATION_GRANTED, application, user, employee=employee.pk)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[raw_token])
    queue_mail_in_their_language(
        [(employee.email, employee.language)],
        lambda: (
            _("Access to the Registry of the state e-government infrastructure"),
            _(
                "You have been granted access to enter data about the elements of %(subject)s.\n"
                "Open this link to set your password: %(link)s\n"
            )
            % {"subject": application.subject.name, "link": link},
        ),
    )
    _tell.application_decided(application)
    return invitation
