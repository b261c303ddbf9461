"""000 §27–29, 003 §3.2.2: a decommissioned information system leaves the exchange, its
history stays readable."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import AuthorisedBodyUserFactory, OperatorFactory, catalog_world, pdf
from tunduk import globalconf as gc
from tunduk.catalog.configuration import latest_signed, publish_configuration
from tunduk.catalog.services import access, systems
from tunduk.core.errors import InvalidInput
from tunduk.gateway.access import AccessIndex
from tunduk.registry import services as registry
from tunduk.registry.models import Element

pytestmark = pytest.mark.django_db(transaction=True)


def _decommission(engineer, element: Element) -> None:
    """The subject notifies, the authorised body agrees, the operator records (000 §27–29)."""
    notice = registry.notify_decommissioning(
        engineer,
        element,
        decision_date=timezone.localdate(),
        decision_reference="Order 9",
        decision_copy=pdf(),
    )
    registry.decide_decommissioning(AuthorisedBodyUserFactory(), notice, agree=True)
    registry.record_decommissioning(OperatorFactory(), notice)


def _granted_world():
    world = catalog_world()
    request = access.request_access(
        world.consumer_engineer, world.consumer_subsystem, world.service, "Benefit checks"
    )
    access.decide_access(world.provider_engineer, request, grant=True)
    return world


def _published() -> gc.GlobalConfiguration:
    """The newest configuration as a gateway reads it (verified, decoded)."""
    publish_configuration()
    signed = latest_signed()
    assert signed is not None
    return gc.decode(signed.document)


def _subsystems(conf: gc.GlobalConfiguration) -> set[str]:
    return {
        f"{member.member_code}/{item.subsystem_code}"
        for member in conf.members
        for item in member.subsystems
    }


def test_decommissioned_provider_leaves_the_next_configuration():
    """000 §29, 003 §3.2.2: once the decommissioning is recorded, the next configuration lists
    neither the provider's subsystem nor the grants to its services."""
    world = _granted_world()
    before = _published()
    assert "70000001/births" in _subsystems(before)
    assert any(grant.service == str(world.service.identifier) for grant in before.grants)

    _decommission(world.provider_engineer, world.provider_subsystem.element)

    after = _published()
    assert after.version > before.version  # published on the decommissioning, not a minute later
    assert "70000001/births" not in _subsystems(after)
    assert "70000002/benefits" in _subsystems(after)
    assert not any(grant.service == str(world.service.identifier) for grant in after.grants)


def test_decommissioned_provider_service_is_refused_by_a_gateway():
    """000 §29: a gateway built from the next configuration refuses calls to the service."""
    world = _granted_world()
    client = world.consumer_subsystem.identifier
    service = world.service.identifier
    assert AccessIndex(_published()).is_allowed(client, service, "GET", "/births/1")

    _decommission(world.provider_engineer, world.provider_subsystem.element)

    assert not AccessIndex(_published()).is_allowed(client, service, "GET", "/births/1")


def test_decommissioned_client_loses_its_grants():
    """000 §29: a decommissioned client system is in no grant of the next configuration."""
    world = _granted_world()
    _decommission(world.consumer_engineer, world.consumer_subsystem.element)

    conf = _published()
    assert "70000002/benefits" not in _subsystems(conf)
    assert not any(
        grant.client == str(world.consumer_subsystem.identifier) for grant in conf.grants
    )
    assert not AccessIndex(conf).is_allowed(
        world.consumer_subsystem.identifier, world.service.identifier, "GET", "/births/1"
    )


def test_decommissioned_subsystem_leaves_the_active_list_but_stays_readable(client):
    """000 §24, §29: ``active=true`` leaves it out; its record and services stay readable,
    with the date it stopped operating; the public Catalog page no longer lists it."""
    world = _granted_world()
    _decommission(world.provider_engineer, world.provider_subsystem.element)

    active = client.get("/api/catalog/subsystems", {"active": "true"}).json()["items"]
    assert [row["identifier"] for row in active] == [str(world.consumer_subsystem.identifier)]
    everything = client.get("/api/catalog/subsystems").json()["items"]
    history = {row["identifier"]: row for row in everything}
    decommissioned = history[str(world.provider_subsystem.identifier)]
    assert decommissioned["decommissioned_at"] is not None
    assert history[str(world.consumer_subsystem.identifier)]["decommissioned_at"] is None
    ended = client.get("/api/catalog/subsystems", {"active": "false"}).json()["items"]
    assert [row["identifier"] for row in ended] == [str(world.provider_subsystem.identifier)]
    service = client.get(f"/api/catalog/services/{world.service.pk}")
    assert service.status_code == 200


def test_decommissioned_subsystem_cannot_describe_new_services():
    """000 §29: a system that stopped operating cannot publish a service again (attacker:
    its former owner tries to bring it back through the Catalog)."""
    world = _granted_world()
    _decommission(world.provider_engineer, world.provider_subsystem.element)
    world.provider_subsystem.refresh_from_db()

    with pytest.raises(InvalidInput) as refused:
        systems.save_service(
            world.provider_engineer,
            world.provider_subsystem,
            service_code="birth-records-2",
            title="Births again",
            backend_url="https://births.internal/api",
            openapi_text=None,
            shared_fields=[{"name": "child_name", "description": "Name"}],
        )
    assert refused.value.field == "subsystem"
    assert "000 §29" in refused.value.message
