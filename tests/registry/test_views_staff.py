"""The staff pages: the operator's review queue and review, applications, decommissioning, requests."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import EmployeeFactory, UserFactory, make_element, make_registered, pdf
from tunduk.accounts.tokens import hash_token
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.registry import services
from tunduk.registry.choices import (
    ApplicationStatus,
    DecommissioningStatus,
    ElementStatus,
    ElementType,
    RefusalGround,
    SubmissionStatus,
)
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    InformationRequest,
    Submission,
)
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(operator) -> Client:
    return client_for(operator)


@pytest.fixture
def body_client(authorised_body) -> Client:
    return client_for(authorised_body)


def submitted(employee, **overrides) -> Submission:
    """A complete record sent to the operator."""
    return services.submit_element(employee, make_element(employee, **overrides))


def submitted_incomplete(employee) -> Submission:
    """An incomplete record the employee chose to send anyway."""
    element = make_element(employee, complete=False)
    return services.submit_element(employee, element, allow_incomplete=True)


def application(subject, **overrides) -> AccessApplication:
    data = {
        "subject_address": "Bishkek, Chui avenue 1",
        "element_full_name": "Unified system of civil registration",
        "element_short_name": "USCR",
        "element_type": ElementType.INFORMATION_SYSTEM,
        "employee_full_name": "Aibek Toktogulov",
        "employee_position": "Head of IT",
        "employee_email": "a.toktogulov@gov.kg",
        "appointment_decision": "Order No. 15 of 2 May 2025",
        **overrides,
    }
    return services.submit_application(subject, data)


def notice(employee, operator, **overrides) -> DecommissioningNotice:
    element = make_registered(employee, operator, **overrides)
    return services.notify_decommissioning(
        employee,
        element,
        decision_date=today_local(),
        decision_reference="Order No. 7",
        decision_copy=pdf("decision.pdf"),
    )


# Review queue (000 §21)


def test_queue_sorted_by_due_date_with_overdue_flagged(employee, operator_client):
    """000 §21: the queue lists open submissions, earliest review due date first, overdue flagged."""
    later = submitted(employee, full_name="Later system")
    overdue = submitted(employee, full_name="Overdue system")
    Submission.objects.filter(pk=overdue.pk).update(due_date=today_local() - timedelta(days=2))
    response = operator_client.get(reverse("registry:submission-queue"))
    assert response.status_code == 200
    html = response.text
    assert 'id="submission-queue"' in html
    assert html.index("Overdue system") < html.index("Later system")
    rows = html.split('class="queue-row')[1:]
    assert len(rows) == 2
    assert 'class="badge overdue"' in rows[0]
    assert 'class="badge overdue"' not in rows[1]
    assert "Registration" in rows[1]
    assert f'data-submission="{later.pk}"' in rows[1]


def test_queue_filters_overdue_only_and_kind(employee, operator, operator_client):
    """000 §21: the operator can narrow the queue to overdue submissions or to changes."""
    submitted(employee, full_name="On time system")
    overdue = submitted(employee, full_name="Overdue system")
    Submission.objects.filter(pk=overdue.pk).update(due_date=today_local() - timedelta(days=1))
    element = make_registered(employee, operator, full_name="Changed system")
    services.update_element(employee, element, {"purpose": "Now also marriages"})
    services.submit_element(employee, element)
    url = reverse("registry:submission-queue")
    overdue_only = operator_client.get(url, {"overdue": "on"}).text
    assert "Overdue system" in overdue_only
    assert "On time system" not in overdue_only
    changes = operator_client.get(url, {"kind": "change"}).text
    assert "Changed system" in changes
    assert "On time system" not in changes


def test_queue_paginates(employee, operator_client):
    """000 §21: a long queue is split into pages, the earliest due dates on the first."""
    for number in range(26):
        submission = submitted(employee, full_name=f"System {number:02d}")
        Submission.objects.filter(pk=submission.pk).update(
            due_date=today_local() + timedelta(days=number)
        )
    url = reverse("registry:submission-queue")
    first = operator_client.get(url).text
    assert first.count('class="queue-row') == 25
    assert "System 25" not in first
    second = operator_client.get(url, {"page": 2}).text
    assert "System 25" in second


# Review (000 §21–23)


def test_review_page_shows_checklist_and_preselects_incomplete(employee, operator_client):
    """000 §22: the review page checks all 17 fields and preselects the 000 §23.2 ground."""
    submission = submitted_incomplete(employee)
    response = operator_client.get(reverse("registry:submission-review", args=[submission.pk]))
    assert response.status_code == 200
    html = response.text
    assert html.count('class="field-row') == 17
    assert 'data-field="1"' in html
    assert html.count('class="field-row missing"') == 15
    assert re.search(r'<input[^>]*value="incomplete"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="no_right"[^>]*checked', html)
    assert 'name="action" value="register"' in html
    assert 'name="action" value="refuse"' in html


def test_register_from_page_assigns_code(employee, operator_client):
    """000 §21: registering from the review page assigns and shows a registration code."""
    submission = submitted(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(url, {"action": "register"}, follow=True)
    assert response.status_code == 200
    submission.element.refresh_from_db()
    code = submission.element.registration_code
    assert submission.element.status == ElementStatus.REGISTERED
    assert code and code.startswith("IS-")
    assert code in response.text
    assert 'name="action" value="register"' not in response.text


def test_register_incomplete_lists_missing_fields(employee, operator_client):
    """000 §22: registering an incomplete record is refused, naming the missing fields."""
    submission = submitted_incomplete(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(url, {"action": "register"})
    assert response.status_code == 400
    assert "missing fields of 000 §20" in response.text
    assert "17 (Act of commissioning)" in response.text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OPEN


@pytest.mark.parametrize(
    ("ground", "complete"),
    [
        (RefusalGround.NO_RIGHT, True),
        (RefusalGround.INCOMPLETE, False),
        (RefusalGround.OUT_OF_SCOPE, True),
    ],
)
def test_refuse_with_each_ground(employee, operator_client, ground, complete):
    """000 §23.1, §23.2, §2: the operator refuses on each permitted ground with an explanation."""
    submission = submitted(employee) if complete else submitted_incomplete(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(
        url, {"action": "refuse", "ground": ground, "explanation": "Please correct it."}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REFUSED
    assert submission.decision.ground == ground
    assert submission.element.status == ElementStatus.REFUSED
    page = operator_client.get(url).text
    assert "Please correct it." in page


def test_refusal_needs_an_explanation(employee, operator_client):
    """000 §23: a refusal without an explanation is not accepted and the form says why."""
    submission = submitted_incomplete(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(
        url, {"action": "refuse", "ground": RefusalGround.INCOMPLETE, "explanation": "  "}
    )
    assert response.status_code == 400
    assert "Explain the refusal" in response.text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OPEN


def test_complete_record_cannot_be_refused_as_incomplete(employee, operator_client):
    """000 §23.2: a record with all 17 fields cannot be refused as incomplete."""
    submission = submitted(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(
        url, {"action": "refuse", "ground": RefusalGround.INCOMPLETE, "explanation": "No."}
    )
    assert response.status_code == 400
    assert "cannot be refused as incomplete" in response.text


def test_reviewing_a_decided_submission_gives_clear_error(employee, operator, operator_client):
    """000 §21: a record that is no longer awaiting review cannot be registered or refused."""
    submission = submitted(employee)
    services.register(operator, submission)
    url = reverse("registry:submission-review", args=[submission.pk])
    response = operator_client.post(
        url, {"action": "refuse", "ground": RefusalGround.NO_RIGHT, "explanation": "Late"}
    )
    assert response.status_code == 409
    assert "already been decided" in response.text
    response = operator_client.post(url, {"action": "register"})
    assert response.status_code == 409
    assert "already been decided" in response.text


# Who may see staff pages


STAFF_PAGES = [
    "registry:submission-queue",
    "registry:application-list",
    "registry:decommissioning-list",
    "registry:information-request-list",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    """000 §9: staff pages need a signed-in account; the public is sent to sign in."""
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_employee_gets_403_and_attempt_is_audited(employee, name):
    """000 §16–17: a subject's employee is refused staff pages and the attempt is recorded."""
    response = client_for(employee).get(reverse(name))
    assert response.status_code == 403
    assert "Access denied" in response.text
    assert AuditEvent.objects.filter(
        name=Event.ACCESS_DENIED, actor=employee, detail__path=reverse(name)
    ).exists()


def test_authorised_body_cannot_review(employee, body_client):
    """000 §21: only the operator registers; the authorised body gets 403 on the review page."""
    submission = submitted(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    assert body_client.get(url).status_code == 403
    assert body_client.post(url, {"action": "register"}).status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OPEN


def test_employee_cannot_register_own_record(employee):
    """000 §21: an employee posting to the review page is refused and nothing changes."""
    submission = submitted(employee)
    url = reverse("registry:submission-review", args=[submission.pk])
    assert client_for(employee).post(url, {"action": "register"}).status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.OPEN


# Access applications (000 §15–19)


def test_forward_then_grant_sends_invitation(
    subject, body_client, operator_client, django_capture_on_commit_callbacks
):
    """000 §18–19: the authorised body forwards, the operator grants, an invitation is e-mailed."""
    app = application(subject)
    listing = body_client.get(reverse("registry:application-list")).text
    assert "Unified system of civil registration" in listing
    assert 'name="action" value="forward"' in listing
    detail = reverse("registry:application-detail", args=[app.pk])
    response = body_client.post(detail, {"action": "forward"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.FORWARDED

    listing = operator_client.get(reverse("registry:application-list")).text
    assert 'name="action" value="grant"' in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(detail, {"action": "grant"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a.toktogulov@gov.kg"]
    assert "http" in mail.outbox[0].body
    (raw,) = re.findall(r"/invitations/([^/\s]+)/", mail.outbox[0].body)
    assert app.employee.invitations.get().token_hash == hash_token(raw)


def test_overdue_application_is_flagged(subject, body_client):
    """000 §18: an application not forwarded within 3 days is flagged overdue."""
    app = application(subject)
    AccessApplication.objects.filter(pk=app.pk).update(
        forward_due=today_local() - timedelta(days=1)
    )
    listing = body_client.get(reverse("registry:application-list")).text
    assert 'class="badge overdue"' in listing


def test_reject_application_needs_comment(subject, body_client):
    """000 §16–17: rejecting an application requires saying why."""
    app = application(subject)
    detail = reverse("registry:application-detail", args=[app.pk])
    response = body_client.post(detail, {"action": "reject", "comment": ""})
    assert response.status_code == 400
    assert "Explain why the application is rejected" in response.text
    response = body_client.post(detail, {"action": "reject", "comment": "No appointment order"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.REJECTED
    history = body_client.get(reverse("registry:application-list")).text
    assert "No appointment order" in history


def test_operator_cannot_forward(subject, operator_client):
    """000 §18: forwarding is the authorised body's step; the operator is refused."""
    app = application(subject)
    detail = reverse("registry:application-detail", args=[app.pk])
    assert 'value="forward"' not in operator_client.get(detail).text
    assert operator_client.post(detail, {"action": "forward"}).status_code == 403
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECEIVED


# Decommissioning (000 §27–29)


def test_agree_then_record_decommissioning(employee, operator, body_client, operator_client):
    """000 §27, §29: the authorised body agrees, then the operator records the decommissioning."""
    item = notice(employee, operator)
    detail = reverse("registry:decommissioning-detail", args=[item.pk])
    listing = body_client.get(reverse("registry:decommissioning-list")).text
    assert 'name="action" value="agree"' in listing
    assert body_client.post(detail, {"action": "agree"}).status_code == 302
    item.refresh_from_db()
    assert item.status == DecommissioningStatus.AGREED

    listing = operator_client.get(reverse("registry:decommissioning-list")).text
    assert 'name="action" value="record"' in listing
    assert operator_client.post(detail, {"action": "record"}).status_code == 302
    item.refresh_from_db()
    item.element.refresh_from_db()
    assert item.status == DecommissioningStatus.RECORDED
    assert item.element.status == ElementStatus.DECOMMISSIONED


def test_not_agree_requires_comment(employee, operator, body_client):
    """000 §27: not agreeing a decommissioning requires a comment; then the element stays."""
    item = notice(employee, operator)
    detail = reverse("registry:decommissioning-detail", args=[item.pk])
    response = body_client.post(detail, {"action": "not_agree", "comment": ""})
    assert response.status_code == 400
    assert "Explain why the decommissioning is not agreed" in response.text
    response = body_client.post(detail, {"action": "not_agree", "comment": "Still in use"})
    assert response.status_code == 302
    item.refresh_from_db()
    item.element.refresh_from_db()
    assert item.status == DecommissioningStatus.NOT_AGREED
    assert item.element.status == ElementStatus.REGISTERED


def test_late_and_overdue_notices_are_flagged(employee, operator, operator_client):
    """000 §28–29: a late notice shows "late"; an agreed notice past its record date "overdue"."""
    item = notice(employee, operator)
    DecommissioningNotice.objects.filter(pk=item.pk).update(
        is_late=True,
        status=DecommissioningStatus.AGREED,
        record_due=today_local() - timedelta(days=1),
    )
    listing = operator_client.get(reverse("registry:decommissioning-list")).text
    assert 'class="badge late"' in listing
    assert 'class="badge overdue"' in listing


def test_operator_cannot_agree(employee, operator, operator_client):
    """000 §27: agreement is the authorised body's; the operator is refused."""
    item = notice(employee, operator)
    detail = reverse("registry:decommissioning-detail", args=[item.pk])
    assert operator_client.post(detail, {"action": "agree"}).status_code == 403
    item.refresh_from_db()
    assert item.status == DecommissioningStatus.NOTIFIED


# Information requests (000 §10)


def test_information_request_created_and_visible(employee, operator, body_client):
    """000 §10: the authorised body asks for more information; it and the operator see it."""
    element = make_registered(employee, operator)
    url = reverse("registry:information-request-create", args=[element.pk])
    assert body_client.get(url).status_code == 200
    response = body_client.post(url, {"question": "How many servers host it?"})
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert request.element == element
    assert "How many servers host it?" in body_client.get(response["Location"]).text
    services.answer(employee, request, "Four servers.")
    listing = client_for(operator).get(reverse("registry:information-request-list")).text
    assert "How many servers host it?" in listing
    assert "Four servers." in listing


def test_information_request_needs_a_question(employee, operator, body_client):
    """000 §10: an empty request is refused with a message next to the question."""
    element = make_registered(employee, operator)
    url = reverse("registry:information-request-create", args=[element.pk])
    response = body_client.post(url, {"question": ""})
    assert response.status_code == 400
    assert "Write the question." in response.text
    assert not InformationRequest.objects.exists()


def test_operator_cannot_ask(employee, operator, operator_client):
    """000 §10: only the authorised body asks; the operator reads."""
    element = make_registered(employee, operator)
    url = reverse("registry:information-request-create", args=[element.pk])
    assert operator_client.get(url).status_code == 403
    other = EmployeeFactory()
    assert client_for(other).get(url).status_code == 403


# Admin


def test_admin_shows_registry_read_only_and_never_deletes(employee, operator):
    """000 §3: the admin lists the Registry's rows but offers no delete and no edit of history."""
    submission = submitted(employee)
    services.register(operator, submission)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("registry", "core", "accounts"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        if model._meta.app_label == "registry":
            assert not model_admin.has_delete_permission(None), model
    version = submission.element.versions.first()
    change = reverse("admin:registry_elementversion_change", args=[version.pk])
    assert client.post(change, {"event": "forged"}).status_code == 403
