"""The Catalog's decisions and requests reach the people concerned (003 §3.2.8, §4)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import OPENAPI_YAML, SHARED_FIELDS
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.services import access, participants, systems
from tunduk.notifications.kinds import NotificationKind
from tunduk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _service(provider):
    _, engineer, subsystem = provider
    return systems.save_service(
        engineer,
        subsystem,
        service_code="birth-records",
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )


def test_access_request_awaits_the_owner_and_its_decision_reaches_the_requester_003_s3_2_8(
    provider, consumer, django_capture_on_commit_callbacks
):
    """003 §3.2.8: the owner's inbox shows the request to decide; the requester is told the
    outcome with the owner's comment; the owner's entry is not the requester's."""
    service = _service(provider)
    _, owner, _ = provider
    _, engineer, client_subsystem = consumer
    request = access.request_access(engineer, client_subsystem, service, "Benefit eligibility")
    assert Notification.objects.filter(
        recipient=owner, kind=NotificationKind.ACCESS_REQUESTED
    ).exists()
    owner_client = Client()
    owner_client.force_login(owner)
    inbox = owner_client.get(reverse("notifications:inbox")).content.decode()
    awaiting = inbox.split('id="awaiting"')[1].split('id="decided"')[0]
    assert reverse("catalog:access-request-decide", args=[request.pk]) in awaiting
    with django_capture_on_commit_callbacks(execute=True):
        access.decide_access(owner, request, grant=False, comment="No agreement signed yet")
    told = Notification.objects.get(recipient=engineer, kind=NotificationKind.ACCESS_DECIDED)
    assert "No agreement signed yet" in told.rendered.text
    assert any(
        message.to == [engineer.email] and "No agreement signed yet" in message.body
        for message in mail.outbox
    )
    assert not Notification.objects.filter(
        recipient=owner, kind=NotificationKind.ACCESS_DECIDED
    ).exists()


def test_suspension_notice_reaches_the_participant_inbox_with_reasons_003_s4(
    consumer, tunduk_operator
):
    """003 §4: prior notice with reasons lands in the participant's inbox, with its date."""
    participant, engineer, _ = consumer
    participants.change_status(
        tunduk_operator,
        participant,
        "suspend",
        "Breach of 003 §3.2.7",
        timezone.now() + PRIOR_NOTICE,
    )
    # The latest one: the first told the participant it was activated (003 §2.1).
    entry = (
        Notification.objects.filter(
            recipient=engineer, kind=NotificationKind.PARTICIPANT_STATUS_CHANGED
        )
        .order_by("-id")
        .first()
    )
    assert entry is not None
    assert "Breach of 003 §3.2.7" in entry.rendered.text
    assert "Suspended by the operator" in entry.rendered.title
