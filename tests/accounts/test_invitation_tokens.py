"""Issue 7 (7): invitation tokens are stored hashed; the plain token is only in the e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import ApiClient
from tests.factories import ACCESS_APPLICATION
from tunduk.accounts.models import Invitation
from tunduk.accounts.tokens import ApiToken

pytestmark = pytest.mark.django_db


def _granted_link(subject, authorised_body, operator, capture) -> str:
    received = ApiClient().post(
        "/access-applications", {"subject": subject.pk, **ACCESS_APPLICATION}
    )
    application_id = received.json()["id"]
    _body, forwarder = ApiToken.issue(authorised_body)
    ApiClient(forwarder).post(f"/access-applications/{application_id}/forward")
    _op, granter = ApiToken.issue(operator)
    with capture(execute=True):
        ApiClient(granter).post(f"/access-applications/{application_id}/grant")
    (link,) = re.findall(r"https?://\S+/invitations/([^/\s]+)/", mail.outbox[-1].body)
    return link


def test_plain_invitation_token_is_not_in_the_database(
    subject, authorised_body, operator, django_capture_on_commit_callbacks
):
    """Issue 7 (7): a database reader learns no usable invitation link; only its hash is kept."""
    raw = _granted_link(subject, authorised_body, operator, django_capture_on_commit_callbacks)
    stored = [str(value) for value in Invitation.objects.values_list(flat=False).get()]
    assert not any(raw in value for value in stored)
    assert Invitation.objects.get().token_hash != raw


def test_emailed_link_still_sets_the_password(
    subject, authorised_body, operator, django_capture_on_commit_callbacks
):
    """Issue 7 (7): the link in the e-mail works through the whole flow; the hash alone does not."""
    raw = _granted_link(subject, authorised_body, operator, django_capture_on_commit_callbacks)
    password = "Tunduk-registry-2025"
    stolen = Invitation.objects.get().token_hash
    refused = Client().post(
        f"/accounts/invitations/{stolen}/", {"password": password, "password_again": password}
    )
    assert refused.status_code == 400
    client = Client()
    response = client.post(
        f"/accounts/invitations/{raw}/", {"password": password, "password_again": password}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().user.check_password(password)
