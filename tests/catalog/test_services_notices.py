"""Issue 7 (7): notice and recommendation titles are one line, as e-mail subjects must be."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.catalog.pages import signed_in
from tests.conftest import ApiClient
from tests.factories import catalog_world
from tunduk.accounts.tokens import ApiToken
from tunduk.catalog.models import Notice, Recommendation
from tunduk.catalog.services import notices, security
from tunduk.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

INJECTED = "Database down\r\nBcc: victim@example.org"


@pytest.mark.parametrize("title", [INJECTED, "Line one\nline two", "Carriage\rreturn"])
def test_service_refuses_a_notice_title_with_a_line_break(provider, title):
    """Issue 7 (7): a notice title with CR or LF is refused naming the field ``title``."""
    participant, engineer, _ = provider
    with pytest.raises(InvalidInput) as error:
        notices.report_notice(
            engineer,
            participant,
            kind="outage",
            title=title,
            description="Primary failed",
            starts_at=timezone.now(),
        )
    assert error.value.field == "title"
    assert not Notice.objects.exists()


def test_service_refuses_a_recommendation_title_with_a_line_break(provider, tunduk_operator):
    """Issue 7 (7): a recommendation title (an e-mail subject) with CR or LF is refused."""
    with pytest.raises(InvalidInput) as error:
        security.issue_recommendation(
            tunduk_operator,
            provider[0],
            title=INJECTED,
            text="Patch the gateway",
            due_date=timezone.localdate() + timedelta(days=7),
        )
    assert error.value.field == "title"
    assert not Recommendation.objects.exists()


def test_api_refuses_a_notice_title_with_a_line_break():
    """Issue 7 (7): the API answers 422 naming ``title`` for a title with a line break."""
    world = catalog_world()
    _token, raw = ApiToken.issue(world.provider_engineer, name="test")
    response = ApiClient(raw).post(
        "/catalog/notices",
        {
            "participant": world.provider.pk,
            "kind": "outage",
            "title": INJECTED,
            "description": "Primary failed",
            "starts_at": "2030-05-01T22:00:00+06:00",
        },
    )
    assert response.status_code in (400, 422)
    assert "title" in str(response.json())
    assert not Notice.objects.exists()


def test_form_refuses_a_notice_title_with_a_line_break(provider):
    """Issue 7 (7): the notice form shows the error on the title field and saves nothing."""
    engineer = provider[1]
    response = signed_in(engineer).post(
        "/catalog/notices/new/",
        {
            "kind": "outage",
            "title": INJECTED,
            "description": "Primary failed",
            "starts_at": "2030-05-01T22:00",
        },
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Notice.objects.exists()
