"""The appendix has history (003 §2.3, appendix 1): versions of a service's shared fields and
endpoints with their dates, readable on pages and over the API; a grant keeps its version."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from tests.catalog.pages import signed_in
from tests.factories import OPENAPI_YAML, SHARED_FIELDS, catalog_world
from tunduk.catalog.models import AppendixVersion, Grant, SharedField
from tunduk.catalog.services import access, systems
from tunduk.core.errors import NotPermitted

pytestmark = pytest.mark.django_db

NEW_FIELDS = [*SHARED_FIELDS, {"name": "birth_place", "description": "Place of birth"}]
ONE_ENDPOINT = """
openapi: 3.0.3
info: {title: Births, version: "2"}
paths:
  /births/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: found}}
"""


def _change(world, *, fields=NEW_FIELDS, document=OPENAPI_YAML, user=None):
    return systems.save_service(
        user or world.provider_engineer,
        world.provider_subsystem,
        service_code="birth-records",
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=document,
        shared_fields=fields,
    )


def _granted(world):
    request = access.request_access(
        world.consumer_engineer, world.consumer_subsystem, world.service, "Eligibility checks"
    )
    access.decide_access(world.provider_engineer, request, grant=True)
    return world.service.grants.get()


def test_changing_the_shared_fields_opens_a_new_version_and_keeps_the_earlier_one():
    """003 §2.3, appendix 1: a new list is a new version; the earlier list stays with its dates."""
    world = catalog_world()
    _change(world)
    first, second = world.service.appendix_versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert [f["name"] for f in first.shared_fields] == ["child_name", "birth_date"]
    assert [f["name"] for f in second.shared_fields] == ["child_name", "birth_date", "birth_place"]
    assert first.valid_to is not None and first.valid_to == second.valid_from
    assert second.valid_to is None and second.is_current


def test_changing_the_endpoints_opens_a_new_version():
    """003 §2.3, appendix 1: the endpoints are part of the appendix and versioned with it."""
    world = catalog_world()
    _change(world, fields=SHARED_FIELDS, document=ONE_ENDPOINT)
    first, second = world.service.appendix_versions.order_by("number")
    assert {(e["method"], e["path"]) for e in first.endpoints} == {
        ("GET", "/births/*"),
        ("POST", "/births"),
    }
    assert [(e["method"], e["path"]) for e in second.endpoints] == [("GET", "/births/*")]


def test_saving_the_same_lists_again_keeps_the_version_in_force():
    """003 §2.3: only a change to the fields or endpoints makes a version, not every save."""
    world = catalog_world()
    _change(world, fields=SHARED_FIELDS)
    assert list(world.service.appendix_versions.values_list("number", flat=True)) == [1]


def test_a_grant_refers_to_the_version_it_was_given_for():
    """003 §2.3, appendix 1: a grant keeps the appendix version in force when it was given."""
    world = catalog_world()
    grant = _granted(world)
    _change(world)
    grant.refresh_from_db()
    assert grant.appendix_version is not None
    assert grant.appendix_version.number == 1
    assert not grant.appendix_version.is_current
    later = access.grant_access(
        world.provider_engineer, world.service, client=world.provider_subsystem
    )
    assert later.appendix_version is not None and later.appendix_version.number == 2


def test_earlier_versions_are_readable_on_the_service_pages(client):
    """003 §2.3: the public reads every version of the appendix, each with its dates."""
    world = catalog_world()
    _change(world)
    detail = client.get(reverse("catalog:service-detail", args=[world.service.pk]))
    assert 'id="appendix-current"' in detail.content.decode()
    history = client.get(reverse("catalog:appendix-history", args=[world.service.pk])).content
    assert b'id="appendix-version-1"' in history and b'id="appendix-version-2"' in history
    page = client.get(reverse("catalog:appendix-version", args=[world.service.pk, 1]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "birth_date" in text and "birth_place" not in text
    assert 'id="older-version"' in text


def test_the_owners_page_shows_a_grant_given_for_an_older_version():
    """003 §2.3: the owner sees that a grant was given for an earlier list of fields."""
    world = catalog_world()
    _granted(world)
    page = signed_in(world.provider_engineer).get(reverse("catalog:participation"))
    assert "older-appendix" not in page.content.decode()
    _change(world)
    page = signed_in(world.provider_engineer).get(reverse("catalog:participation"))
    text = page.content.decode()
    assert "older-appendix" in text
    assert reverse("catalog:appendix-version", args=[world.service.pk, 1]) in text


def test_the_api_lists_every_version_and_the_grant_names_its_own(api_as, public_api):
    """003 §2.3: the API serves the versions with their dates and a grant's version number."""
    world = catalog_world()
    _granted(world)
    _change(world)
    assert public_api.get(f"/catalog/services/{world.service.pk}").json()["appendix_version"] == 2
    versions = public_api.get(f"/catalog/services/{world.service.pk}/appendix-versions")
    assert versions.status_code == 200
    assert [(v["number"], v["current"]) for v in versions.json()] == [(2, True), (1, False)]
    assert versions.json()[1]["valid_to"] == versions.json()[0]["valid_from"]
    first = public_api.get(f"/catalog/services/{world.service.pk}/appendix-versions/1")
    assert [f["name"] for f in first.json()["shared_fields"]] == ["child_name", "birth_date"]
    grants = api_as(world.consumer_engineer).get("/catalog/grants").json()["items"]
    assert [(g["appendix_version"], g["appendix_version_current"]) for g in grants] == [(1, False)]


def test_another_participant_cannot_make_a_version_of_a_service_it_does_not_own():
    """003 §3.2.2 (attacker): only the owner changes its appendix; no version is recorded."""
    world = catalog_world()
    with pytest.raises(NotPermitted):
        _change(world, user=world.consumer_engineer)
    assert list(world.service.appendix_versions.values_list("number", flat=True)) == [1]


def test_a_version_is_a_snapshot_a_rewritten_live_row_does_not_change(client):
    """003 §2.3 (attacker): rewriting the live field rows does not rewrite the recorded version."""
    world = catalog_world()
    SharedField.objects.filter(service=world.service).update(name="rewritten")
    version = AppendixVersion.objects.get(service=world.service, number=1)
    assert [f["name"] for f in version.shared_fields] == ["child_name", "birth_date"]
    page = client.get(reverse("catalog:appendix-version", args=[world.service.pk, 1]))
    assert "rewritten" not in page.content.decode()


def test_versions_of_unknown_or_hidden_services_are_not_found(client, public_api):
    """003 §2.3 (attacker): guessed version numbers and a disabled service's history are 404."""
    world = catalog_world()
    assert (
        client.get(reverse("catalog:appendix-version", args=[world.service.pk, 7])).status_code
        == 404
    )
    missing = public_api.get(f"/catalog/services/{world.service.pk}/appendix-versions/7")
    assert missing.status_code == 404
    world.service.is_enabled = False
    world.service.save()
    assert (
        client.get(reverse("catalog:appendix-history", args=[world.service.pk])).status_code == 404
    )


def test_the_migration_gives_services_described_before_versions_their_version_1():
    """003 §2.3: existing services get version 1 as they stand, and their grants refer to it."""
    from django.apps import apps

    migration = importlib.import_module(
        "tunduk.catalog.migrations.0007_appendix_versions_and_external_cas"
    )
    world = catalog_world()
    grant = _granted(world)
    Grant.objects.update(appendix_version=None)
    AppendixVersion.objects.all().delete()
    migration.first_appendix_versions(apps, None)
    version = AppendixVersion.objects.get(service=world.service)
    assert (version.number, version.valid_from, version.valid_to) == (
        1,
        world.service.created_at,
        None,
    )
    assert [f["name"] for f in version.shared_fields] == ["child_name", "birth_date"]
    assert len(version.endpoints) == 2
    grant.refresh_from_db()
    assert grant.appendix_version == version
