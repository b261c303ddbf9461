"""Access applications (000 §15–19) and information requests (000 §10) over the API."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import ACCESS_APPLICATION, make_registered
from tunduk.accounts.models import User

pytestmark = pytest.mark.django_db


def test_access_application_from_the_public_to_granted(
    public_api, api_as, subject, authorised_body, operator, django_capture_on_commit_callbacks
):
    """000 §15–19: received without a token, forwarded by the body, granted by the operator."""
    received = public_api.post(
        "/access-applications", {"subject": subject.pk, **ACCESS_APPLICATION}
    )
    assert received.status_code == 201, received.json()
    assert received.json()["status"] == "received"
    application_id = received.json()["id"]

    too_early = api_as(operator).post(f"/access-applications/{application_id}/grant")
    assert too_early.status_code == 409
    forwarded = api_as(authorised_body).post(f"/access-applications/{application_id}/forward")
    assert forwarded.json()["status"] == "forwarded"
    with django_capture_on_commit_callbacks(execute=True):
        granted = api_as(operator).post(f"/access-applications/{application_id}/grant")
    assert granted.status_code == 200, granted.json()
    assert granted.json()["status"] == "granted"
    employee = User.objects.get(pk=granted.json()["employee"])
    assert employee.subject == subject
    assert mail.outbox[-1].to == ["a.asanova@gov.kg"]


def test_an_application_needs_every_item_of_000_16(public_api, subject):
    """000 §16: a missing item is refused and named; an unknown subject too."""
    incomplete = public_api.post(
        "/access-applications",
        {"subject": subject.pk, **ACCESS_APPLICATION, "employee_email": "nope"},
    )
    assert incomplete.status_code == 400
    assert incomplete.json()["field"] == "employee_email"
    missing = public_api.post("/access-applications", {"subject": subject.pk})
    assert missing.status_code == 422
    assert {error["field"] for error in missing.json()["errors"]} >= {"body.subject_address"}
    unknown = public_api.post("/access-applications", {**ACCESS_APPLICATION, "subject": 999999})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "subject"


def test_rejecting_needs_a_reason(public_api, api_as, subject, authorised_body):
    """000 §16–17: a rejection says why."""
    application_id = public_api.post(
        "/access-applications", {"subject": subject.pk, **ACCESS_APPLICATION}
    ).json()["id"]
    body = api_as(authorised_body)
    assert (
        body.post(f"/access-applications/{application_id}/reject", {"comment": " "}).status_code
        == 400
    )
    rejected = body.post(
        f"/access-applications/{application_id}/reject", {"comment": "No appointment order."}
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_comment"] == "No appointment order."


def test_information_request_asked_and_answered(api_as, employee, operator, authorised_body):
    """000 §10: the authorised body asks about an element and the subject answers."""
    element = make_registered(employee, operator)
    asked = api_as(authorised_body).post(
        f"/elements/{element.pk}/information-requests", {"question": "How many users in 2025?"}
    )
    assert asked.status_code == 201, asked.json()
    owner = api_as(employee)
    listed = owner.get(f"/elements/{element.pk}/information-requests").json()["items"]
    assert [item["question"] for item in listed] == ["How many users in 2025?"]
    assert owner.get("/information-requests", status="open").json()["count"] == 1
    answered = owner.post(
        f"/information-requests/{asked.json()['id']}/answer", {"answer": "About 350."}
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "answered"
    assert owner.get("/information-requests", status="open").json()["count"] == 0


def test_only_the_authorised_body_asks(api_as, employee, operator):
    """000 §10: an employee cannot ask for additional information (403)."""
    element = make_registered(employee, operator)
    response = api_as(employee).post(
        f"/elements/{element.pk}/information-requests", {"question": "Why?"}
    )
    assert response.status_code == 403
