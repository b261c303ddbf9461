"""The public access applicant: a reference number and a secret status page (issue 11 item 12)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ACCESS_APPLICATION
from tunduk.registry import services
from tunduk.registry.api.presenters import application_out
from tunduk.registry.choices import ApplicationStatus
from tunduk.registry.models import AccessApplication

pytestmark = pytest.mark.django_db

# Per-request values: the CSRF token, and the language switcher's echo of the address asked for.
ECHOES = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"|name="next" type="hidden" value="[^"]*"'
)


def page_text(response) -> str:
    return ECHOES.sub("", response.content.decode())


def apply(client, subject, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:application-create"), {**ACCESS_APPLICATION, "subject": subject.pk}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def test_applicant_gets_reference_and_status_link_000_s18(
    client, subject, django_capture_on_commit_callbacks
):
    """000 §18: on submission the applicant sees a reference number and a status link, gets
    both by e-mail, and the status page shows the 000 §18 forwarding deadline."""
    thanks = apply(client, subject, django_capture_on_commit_callbacks)
    (reference,) = re.findall(r'id="application-reference">([^<]+)<', thanks)
    (link,) = re.findall(r'id="application-status-link" href="([^"]+)"', thanks)
    assert reference.startswith("AA-")
    (message,) = [m for m in mail.outbox if m.to == [ACCESS_APPLICATION["employee_email"]]]
    assert reference in message.subject and link in message.body
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert reference in html and "000 §18" in html
    assert page["Referrer-Policy"] == "no-referrer"


def test_status_page_follows_the_decision(
    client, subject, authorised_body, django_capture_on_commit_callbacks
):
    """A rejection with its reason shows on the status page and reaches the applicant by e-mail."""
    thanks = apply(client, subject, django_capture_on_commit_callbacks)
    (link,) = re.findall(r'id="application-status-link" href="([^"]+)"', thanks)
    application = AccessApplication.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(
            authorised_body, application, "The appointment order is unsigned."
        )
    html = client.get(link).content.decode()
    assert str(ApplicationStatus.REJECTED.label) in html
    assert "The appointment order is unsigned." in html
    assert any(
        "The appointment order is unsigned." in m.body
        for m in mail.outbox
        if m.to == [ACCESS_APPLICATION["employee_email"]]
    )


def test_wrong_token_is_refused_without_revealing_the_reference_exists(
    client, subject, django_capture_on_commit_callbacks
):
    """Attacker: a real reference with a forged token and an invented reference get the same
    404 page, through the link and through the form alike."""
    thanks = apply(client, subject, django_capture_on_commit_callbacks)
    (reference,) = re.findall(r'id="application-reference">([^<]+)<', thanks)
    forged = "A" * 43
    real = client.get(reverse("registry:application-status", args=[reference, forged]))
    invented = client.get(reverse("registry:application-status", args=["AA-2222-2222", forged]))
    assert real.status_code == invented.status_code == 404
    assert page_text(real) == page_text(invented)
    assert reference not in page_text(real)
    lookup = reverse("registry:application-status-lookup")
    by_form_real = client.post(lookup, {"reference": reference, "token": forged})
    by_form_invented = client.post(lookup, {"reference": "AA-2222-2222", "token": forged})
    assert by_form_real.status_code == by_form_invented.status_code == 404
    assert page_text(by_form_real) == page_text(by_form_invented)


def test_references_are_random_and_tokens_unguessable(subject):
    """References are not a counter one could walk; only the token's hash is stored."""
    first = services.submit_application(subject, ACCESS_APPLICATION)
    second = services.submit_application(subject, ACCESS_APPLICATION)
    assert first.reference != second.reference
    assert len(first.issued_status_token) >= 43
    stored = AccessApplication.objects.get(pk=first.pk)
    assert stored.issued_status_token == ""
    assert stored.status_token_hash and first.issued_status_token not in stored.status_token_hash


def test_api_submission_answers_reference_and_status_link(public_api, client, subject):
    """The API's applicant gets the same reference and secret status link; listing the
    application later never shows the link again."""
    received = public_api.post(
        "/access-applications", {**ACCESS_APPLICATION, "subject": subject.pk}
    )
    assert received.status_code == 201, received.json()
    body = received.json()
    assert body["reference"].startswith("AA-")
    assert client.get(body["status_url"]).status_code == 200
    stored = AccessApplication.objects.get(pk=body["id"])
    assert "status_url" not in application_out(stored)


def test_an_application_without_a_token_has_no_status_page(client, subject):
    """Attacker: an application stored before tokens existed (empty hash) matches no token,
    not even an empty or a crafted one."""
    application = services.submit_application(subject, ACCESS_APPLICATION)
    AccessApplication.objects.filter(pk=application.pk).update(status_token_hash="")
    lookup = reverse("registry:application-status-lookup")
    crafted = ["", "x", "0" * 64, "no application has this token"]
    for token in [*crafted, application.issued_status_token]:
        response = client.post(lookup, {"reference": application.reference, "token": token})
        assert response.status_code == 404
