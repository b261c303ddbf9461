"""What the public and other participants may read of the Catalog through the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    OPENAPI_YAML,
    SHARED_FIELDS,
    catalog_world,
    csr_for,
    make_participant,
    make_subsystem,
)
from tunduk.catalog.services import access, gateways, notices, participants, systems

pytestmark = pytest.mark.django_db


def test_public_reads_show_the_catalog_but_hide_internals(api_as, public_api):
    """003 §3.2.2, appendix 1: anyone sees identifiers, titles, shared fields and endpoints;
    the backend URL and the OpenAPI document only the owner and the operator."""
    world = catalog_world()
    listed = public_api.get("/catalog/services").json()["items"]
    assert listed[0]["identifier"] == "KG/GOV/70000001/births/birth-records"
    assert [f["name"] for f in listed[0]["shared_fields"]] == ["child_name", "birth_date"]
    assert listed[0]["endpoints"]
    assert "backend_url" not in listed[0] and "openapi_document" not in listed[0]

    path = f"/catalog/services/{world.service.pk}"
    for caller in (public_api, api_as(world.consumer_engineer)):
        shown = caller.get(path).json()
        assert shown["internals_shown"] is False
        assert shown["backend_url"] is None and shown["openapi_document"] is None
    for caller in (api_as(world.provider_engineer), api_as(world.tunduk_operator)):
        shown = caller.get(path).json()
        assert shown["internals_shown"] is True
        assert shown["backend_url"] == "https://births.internal/api"
        assert shown["openapi_document"]["openapi"] == "3.0.3"


def test_public_sees_participants_without_their_status_history(api_as, public_api):
    """003 §3.1.1, §4: the member list is public; the reasons of a suspension are not."""
    world = catalog_world()
    participants.change_status(
        world.tunduk_operator, world.consumer, "suspend", "Unpaid audit", security_incident=True
    )
    listed = public_api.get("/catalog/participants", status="suspended").json()["items"]
    assert listed == [
        {
            "id": world.consumer.pk,
            "identifier": "KG/GOV/70000002",
            "subject": world.consumer.subject_id,
            "subject_name": world.consumer.subject.name,
            "status": "suspended",
        }
    ]
    path = f"/catalog/participants/{world.consumer.pk}"
    assert public_api.get(path).json()["status_changes"] is None
    assert api_as(world.provider_engineer).get(path).json()["status_changes"] is None
    history = api_as(world.consumer_engineer).get(path).json()["status_changes"]
    assert history[0]["reason"] == "Unpaid audit"


def test_access_gateways_and_certificates_need_a_token_and_a_stake(api_as, public_api):
    """003 §3.2.1, §3.2.8: requests, grants, gateways and certificates are shown only to the
    participants concerned and the operator."""
    world = catalog_world()
    access.request_access(
        world.consumer_engineer, world.consumer_subsystem, world.service, "Benefits"
    )
    gateways.register_gateway(
        world.provider_engineer,
        world.provider,
        "gw1",
        "gw1.births.gov.kg",
        csr_for(world.provider, server_code="gw1"),
    )
    paths = (
        "/catalog/access-requests",
        "/catalog/grants",
        "/catalog/gateways",
        "/catalog/certificates",
    )
    for path in paths:
        assert public_api.get(path).status_code == 401, path

    _third, outsider_engineer = make_participant(world.tunduk_operator, "70000003")
    outsider = api_as(outsider_engineer)
    counts = {path: outsider.get(path).json()["count"] for path in paths}
    assert counts == dict.fromkeys(paths, 0)
    assert api_as(world.provider_engineer).get("/catalog/access-requests").json()["count"] == 1
    assert api_as(world.consumer_engineer).get("/catalog/gateways").json()["count"] == 0
    assert api_as(world.tunduk_operator).get("/catalog/certificates").json()["count"] == 1


def _one_more_of_each(world, n: int, group) -> None:
    """Another provider with a requested and granted service, a group member and a notice."""
    provider, engineer = make_participant(world.tunduk_operator, f"7100000{n}")
    subsystem = make_subsystem(provider, engineer, f"system{n}")
    service = systems.save_service(
        engineer,
        subsystem,
        service_code=f"service{n}",
        title=f"Service {n}",
        backend_url="https://service.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )
    access.request_access(world.consumer_engineer, world.consumer_subsystem, service, "x")
    access.grant_access(engineer, service, client=world.consumer_subsystem)
    access.set_group_membership(world.tunduk_operator, group, subsystem, member=True)
    notices.report_notice(
        engineer,
        provider,
        kind="outage",
        title="Down",
        description="Down",
        starts_at=timezone.now(),
    )


def test_catalog_lists_cost_the_same_queries_for_one_item_or_many(api_as):
    """API contract: a page of the Catalog is presented without a query per item."""
    world = catalog_world()
    operator = api_as(world.tunduk_operator)
    group = access.create_group(world.tunduk_operator, "KG", "social", "Social")
    paths = (
        "/catalog/participants",
        "/catalog/subsystems",
        "/catalog/services",
        "/catalog/access-requests",
        "/catalog/grants",
        "/catalog/groups",
        "/catalog/notices",
        "/catalog/certificates",
    )

    def queries() -> dict[str, int]:
        counts = {}
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert operator.get(path).status_code == 200
            counts[path] = len(captured)
        return counts

    _one_more_of_each(world, 1, group)
    gateways.request_certificate(
        world.provider_engineer, world.provider, "signing", csr_for(world.provider)
    )
    queries()  # the token's first use records its time once
    few = queries()
    for n in range(2, 5):
        _one_more_of_each(world, n, group)
        gateways.request_certificate(
            world.provider_engineer, world.provider, "signing", csr_for(world.provider)
        )
    assert queries() == few
