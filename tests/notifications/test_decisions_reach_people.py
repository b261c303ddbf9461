"""Decisions reach people (000 §21, issue 11 item 12): inbox entries and e-mail per recipient."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import EmployeeFactory, SubjectFactory, make_element
from tunduk.notifications.kinds import NotificationKind
from tunduk.notifications.languages import remember_language
from tunduk.notifications.models import Notification
from tunduk.registry import services
from tunduk.registry.choices import RefusalGround

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(employee, operator, capture) -> Notification:
    """An incomplete record submitted by ``employee`` and refused by ``operator`` (000 §23.2)."""
    submission = services.submit_element(
        employee, make_element(employee, complete=False), allow_incomplete=True
    )
    with capture(execute=True):
        services.refuse(
            operator, submission, RefusalGround.INCOMPLETE, "Attach the commissioning act."
        )
    return Notification.objects.get(recipient=employee, kind=NotificationKind.ELEMENT_REFUSED)


def test_refusal_reaches_every_authorised_employee_with_ground_and_fix_000_s21(
    employee, operator, django_capture_on_commit_callbacks
):
    """000 §21, §23: the refusal goes to the submitter and the subject's other authorised
    employees, in the inbox and by e-mail, with the ground and what to fix; another
    subject's employee hears nothing."""
    colleague = EmployeeFactory(subject=employee.subject)
    stranger = EmployeeFactory(subject=SubjectFactory())
    refused(employee, operator, django_capture_on_commit_callbacks)
    told = set(
        Notification.objects.filter(kind=NotificationKind.ELEMENT_REFUSED).values_list(
            "recipient", flat=True
        )
    )
    assert told == {employee.pk, colleague.pk}
    refusals = [message for message in mail.outbox if "refused" in message.subject]
    assert sorted(message.to[0] for message in refusals) == sorted(
        [employee.email, colleague.email]
    )
    body = refusals[0].body
    assert "The record is incomplete (000 §23.2)" in body
    assert "Attach the commissioning act." in body
    assert "Act of commissioning" in body or "commissioning" in body.lower()
    assert "/decisions/" in body
    assert stranger.email not in [message.to[0] for message in mail.outbox]

    page = client_for(colleague).get(reverse("notifications:inbox"))
    assert "The record is incomplete (000 §23.2)" in page.content.decode()
    assert "Attach the commissioning act." in page.content.decode()


def test_each_recipient_reads_the_decision_in_their_own_language(
    employee, operator, django_capture_on_commit_callbacks
):
    """Issue 11 item 12: the e-mail is written in the recipient's language, not the sender's:
    a Russian reader gets the §23 ground in Russian, a Kyrgyz reader in Kyrgyz."""
    colleague = EmployeeFactory(subject=employee.subject)
    remember_language(employee, "ru")
    remember_language(colleague, "ky")
    refused(employee, operator, django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "Сведения неполные (000 §23.2)" in by_address[employee.email]
    assert "Маалыматтар толук эмес (000 §23.2)" in by_address[colleague.email]
    # The stored entry is words-free: the same row reads in each viewer's language.
    entry = Notification.objects.get(recipient=employee)
    assert entry.params["ground_label"] == "The record is incomplete (000 §23.2)"


def test_registration_is_announced_with_code_and_decision_link(
    employee, operator, django_capture_on_commit_callbacks
):
    """000 §21: registering is a decision the subject receives, with its registration code."""
    submission = services.submit_element(employee, make_element(employee))
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.register(operator, submission)
    entry = Notification.objects.get(recipient=employee, kind=NotificationKind.ELEMENT_REGISTERED)
    code = submission.element.__class__.objects.get(pk=submission.element_id).registration_code
    assert code in entry.rendered.title
    assert entry.link == reverse("registry:decision-detail", args=[decision.pk])
    assert any(code in message.subject for message in mail.outbox)


def test_operator_inbox_lists_pending_review_with_its_000_s21_deadline(employee, operator):
    """000 §21: the operator's "awaiting me" shows each open review and its due date."""
    submission = services.submit_element(employee, make_element(employee))
    page = client_for(operator).get(reverse("notifications:inbox")).content.decode()
    awaiting = page.split('id="awaiting"')[1].split('id="decided"')[0]
    assert reverse("registry:submission-review", args=[submission.pk]) in awaiting
    assert "000 §21" in awaiting
    assert str(submission.due_date.year) in awaiting
    # The operator was also told when it arrived, with the same deadline.
    told = Notification.objects.get(recipient=operator, kind=NotificationKind.SUBMISSION_RECEIVED)
    assert told.deadline == submission.due_date


def test_unread_count_in_navigation_drops_when_opened(
    employee, operator, django_capture_on_commit_callbacks
):
    """Issue 11 item 12: the navigation shows the unread count; opening an entry reads it."""
    entry = refused(employee, operator, django_capture_on_commit_callbacks)
    client = client_for(employee)
    home = client.get(reverse("registry:dashboard")).content.decode()
    assert 'id="nav-inbox-unread">1<' in home
    opened = client.post(reverse("notifications:open", args=[entry.pk]))
    assert opened.status_code == 302 and opened["Location"] == entry.link
    assert 'id="nav-inbox-unread"' not in client.get(reverse("registry:dashboard")).content.decode()


def test_another_user_cannot_read_or_mark_my_inbox_entry(
    employee, operator, django_capture_on_commit_callbacks
):
    """Attacker: another subject's employee opening my entry by id gets "not found", the entry
    stays unread, and my inbox's words never show on their page."""
    entry = refused(employee, operator, django_capture_on_commit_callbacks)
    attacker = client_for(EmployeeFactory(subject=SubjectFactory()))
    assert attacker.post(reverse("notifications:open", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None
    page = attacker.get(reverse("notifications:inbox")).content.decode()
    assert "Attach the commissioning act." not in page
    attacker.post(reverse("notifications:read-all"))
    entry.refresh_from_db()
    assert entry.read_at is None


def test_inbox_needs_sign_in(client):
    """The public has no inbox: it is sent to sign in."""
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_mail_language_choice_refuses_an_unknown_language(employee):
    """Bad input: an unlisted language is refused with a message naming the field."""
    client = client_for(employee)
    response = client.post(reverse("notifications:language"), {"language": "xx"}, follow=True)
    assert "Language: choose one of the listed languages." in response.content.decode()
    client.post(reverse("notifications:language"), {"language": "ru"})
    from tunduk.notifications.languages import language_of

    assert language_of(employee) == "ru"
