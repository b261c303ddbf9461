"""Issue 7 (4): the anonymous access application is limited per client address (429)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tunduk.registry.choices import ElementType
from tunduk.registry.models import AccessApplication

pytestmark = pytest.mark.django_db

SPAMMER = "203.0.113.50"
NEIGHBOUR = "198.51.100.60"


@pytest.fixture(autouse=True)
def two_per_hour(settings):
    settings.TUNDUK_APPLICATION_RATE = "2/h"


def form_data(subject) -> dict:
    return {
        "subject": subject.pk,
        "subject_address": "Bishkek, Chui avenue 1",
        "element_full_name": "Unified system of civil registration",
        "element_short_name": "USCR",
        "element_type": ElementType.INFORMATION_SYSTEM,
        "employee_full_name": "B. Bekov",
        "employee_position": "Head of IT",
        "employee_email": "bekov@gov.kg",
        "appointment_decision": "Order No. 5 of 2 May 2025",
    }


def post_form(subject, address: str, **extra):
    return Client().post(
        reverse("registry:application-create"), form_data(subject), REMOTE_ADDR=address, **extra
    )


def post_api(subject, address: str, **extra):
    body = {**form_data(subject), "element_type": "software"}
    return Client().post(
        "/api/access-applications",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def test_the_form_answers_429_past_the_limit(subject):
    """Issue 7 (4): the third application within the hour from one address is refused."""
    assert [post_form(subject, SPAMMER).status_code for _ in range(2)] == [302, 302]
    response = post_form(subject, SPAMMER)
    assert response.status_code == 429
    assert "Too many access applications" in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert AccessApplication.objects.count() == 2


def test_the_limit_page_is_translated(subject):
    """Issue 7 (4): the refusal is a page of the site in the visitor's language."""
    for _ in range(2):
        post_form(subject, SPAMMER)
    response = post_form(subject, SPAMMER, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert '<html lang="ru">' in response.content.decode()


def test_the_api_answers_429_with_the_error_body(subject):
    """Issue 7 (4): the API refuses the third application with the standard error shape."""
    assert [post_api(subject, SPAMMER).status_code for _ in range(2)] == [201, 201]
    response = post_api(subject, SPAMMER)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    assert "Too many access applications" in body["message"]
    assert body["field"] == ""
    assert body["detail"]["retry_after"] == int(response["Retry-After"])
    assert AccessApplication.objects.count() == 2


def test_the_form_and_the_api_share_one_counter(subject):
    """Issue 7 (4): switching between the page and the API does not double the allowance."""
    assert post_form(subject, SPAMMER).status_code == 302
    assert post_api(subject, SPAMMER).status_code == 201
    assert post_api(subject, SPAMMER).status_code == 429
    assert post_form(subject, SPAMMER).status_code == 429


def test_other_addresses_are_not_limited(subject):
    """Issue 7 (4): the limit is per address; a neighbour can still apply."""
    for _ in range(3):
        post_form(subject, SPAMMER)
    assert post_form(subject, NEIGHBOUR).status_code == 302


def test_invalid_posts_count_too(subject):
    """Issue 7 (4): hammering the form with rubbish is limited as well."""
    for _ in range(2):
        Client().post(reverse("registry:application-create"), {}, REMOTE_ADDR=SPAMMER)
    assert post_form(subject, SPAMMER).status_code == 429


def test_reading_the_form_is_not_limited(subject):
    """Issue 7 (4): only sending counts; the empty form can always be opened."""
    for _ in range(3):
        post_form(subject, SPAMMER)
    response = Client().get(reverse("registry:application-create"), REMOTE_ADDR=SPAMMER)
    assert response.status_code == 200


def test_forged_forwarded_for_does_not_reset_the_limit(subject):
    """Issue 7 (4): without a trusted proxy, X-Forwarded-For does not change the counted address."""
    for number in range(2):
        post_form(subject, SPAMMER, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert post_form(subject, SPAMMER, HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429


def test_one_ipv6_network_is_one_address(subject):
    """Issue 7 (4): rotating addresses inside one IPv6 /64 does not reset the limit."""
    for host in (1, 2):
        post_form(subject, f"2001:db8:1:2::{host}")
    assert post_form(subject, "2001:db8:1:2::ffff").status_code == 429
    assert post_form(subject, "2001:db8:1:3::1").status_code == 302
