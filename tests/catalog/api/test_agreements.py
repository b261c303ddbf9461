"""``/api/catalog/agreements``: connection agreements and SLAs (003 §2.5, §7.2)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import catalog_world, make_participant, pdf

pytestmark = pytest.mark.django_db


def _record(api, fields, name: str = "signed.pdf", content: bytes | None = None):
    upload = pdf(name, content) if content is not None else pdf(name)
    return api.client.post(
        "/api/catalog/agreements", {**fields, "document": upload}, headers=api._headers()
    )


def test_owner_records_sla_and_only_parties_and_operator_see_it(api_as, public_api):
    """003 §2.5: an SLA recorded through the API is listed to its parties and the operator only."""
    world = catalog_world()
    response = _record(
        api_as(world.provider_engineer),
        {
            "kind": "sla",
            "participant": world.provider.pk,
            "counterparty": world.consumer.pk,
            "service": world.service.pk,
            "number": "SLA-1",
            "signed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counterparty_identifier"] == str(world.consumer.identifier)
    assert body["document_name"] == "signed.pdf"
    for user in (world.provider_engineer, world.consumer_engineer, world.tunduk_operator):
        listed = api_as(user).get("/catalog/agreements", kind="sla").json()["items"]
        assert [item["id"] for item in listed] == [body["id"]]
    _outsider, engineer = make_participant(world.tunduk_operator, "70000003")
    assert api_as(engineer).get("/catalog/agreements", kind="sla").json()["items"] == []
    assert public_api.get("/catalog/agreements").status_code == 401
    terminate = f"/catalog/agreements/{body['id']}/terminate"
    assert api_as(engineer).post(terminate, {"reason": "x"}).status_code == 404
    ended = api_as(world.provider_engineer).post(terminate, {"reason": "Notice of 1 May"})
    assert ended.status_code == 200
    assert ended.json()["terminated_at"]


def test_connection_agreement_by_participant_is_refused(api_as):
    """003: only the operator records a connection agreement; a participant gets 403."""
    world = catalog_world()
    fields = {
        "kind": "connection",
        "participant": world.provider.pk,
        "number": "T-1",
        "signed_on": timezone.localdate().isoformat(),
    }
    assert _record(api_as(world.provider_engineer), fields).status_code == 403
    assert _record(api_as(world.tunduk_operator), fields).status_code == 201


def test_wrong_file_type_names_the_field(api_as):
    """003: the signed copy must be an accepted document; the 400 names ``document``."""
    world = catalog_world()
    fields = {
        "kind": "connection",
        "participant": world.provider.pk,
        "number": "T-1",
        "signed_on": timezone.localdate().isoformat(),
    }
    response = _record(api_as(world.tunduk_operator), fields, name="x.exe", content=b"MZ")
    assert response.status_code == 400
    assert response.json()["field"] == "document"
