"""Joining Tunduk in a real browser: subsystem, service, gateway, access, global configuration (003 §3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import (
    OPENAPI_YAML,
    OperatorFactory,
    TundukOperatorFactory,
    csr_for,
    make_participant,
    make_registered,
    make_subsystem,
)
from tunduk import globalconf as gc
from tunduk.catalog.models import AccessRequest, Certificate, Gateway, Service, Subsystem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_joins_and_another_gets_access(new_page, sign_in, live_server, tmp_path):
    """003 §3.2.1–§3.2.8: subsystem, OpenAPI service, gateway by CSR, access request, grant in the configuration."""
    tunduk_operator = TundukOperatorFactory()
    provider, owner = make_participant(tunduk_operator, "70000001")
    consumer, engineer = make_participant(tunduk_operator, "70000002")
    client = make_subsystem(consumer, engineer, "benefits")
    element = make_registered(owner, OperatorFactory(), full_name="Civil registry system")

    page = new_page()
    sign_in(page, owner.username)

    # The owner registers the subsystem linked to its registered element (003 §3.2.2).
    page.goto("/catalog/mine/subsystems/new/")
    page.fill("input[name=subsystem_code]", "civil-registry")
    page.fill("input[name=name]", "Civil registry")
    page.select_option("select[name=element]", str(element.pk))
    page.click("#subsystem-form button[name=action][value=register]")
    subsystem = Subsystem.objects.get(element=element)
    expect(
        page.locator(".identifier", has_text="KG/GOV/70000001/civil-registry").first
    ).to_be_visible()

    # …describes a service with its OpenAPI document and the fields it shares (appendix 1).
    page.goto(f"/catalog/mine/subsystems/{subsystem.pk}/services/new/")
    page.fill("input[name=service_code]", "births")
    page.fill("input[name=title]", "Birth records")
    page.fill("input[name=backend_url]", "https://births.internal/api")
    page.fill("textarea[name=openapi_text]", OPENAPI_YAML)
    page.fill("input[name=shared_fields-0-name]", "child_name")
    page.click("#shared_fields-add-row")
    page.fill("input[name=shared_fields-1-name]", "birth_date")
    page.click("#service-form button[name=action][value=save]")
    service = Service.objects.get(subsystem=subsystem, service_code="births")
    assert [f.name for f in service.shared_fields.all()] == ["child_name", "birth_date"]

    # …registers its gateway with a CSR (003 §3.2.1).
    page.goto("/catalog/mine/gateways/new/")
    page.fill("input[name=server_code]", "gw1")
    page.fill("input[name=address]", "gw1.civil.kg:5500")
    page.fill("textarea[name=csr_text]", csr_for(provider, server_code="gw1"))
    page.click("#gateway-form button[name=action][value=register]")
    gateway = Gateway.objects.get(participant=provider, server_code="gw1")

    # The Tunduk operator approves it; the owner receives the certificate.
    officer = new_page()
    sign_in(officer, tunduk_operator.username)
    officer.goto(f"/catalog/gateways/{gateway.pk}/")
    officer.click("button[name=action][value=approve]")
    certificate = Certificate.objects.get(gateway=gateway)
    page.goto(f"/catalog/certificates/{certificate.pk}/")
    expect(page.locator("#certificate-pem")).to_contain_text("BEGIN CERTIFICATE")

    # Another participant requests access (004 multilateral) and the owner grants it (003 §3.2.8).
    other = new_page()
    sign_in(other, engineer.username)
    other.goto(f"/catalog/services/{service.pk}/")
    other.select_option("#access-request-form select[name=client]", str(client.pk))
    other.fill("#access-request-form textarea[name=purpose]", "Benefit eligibility")
    other.click("#access-request-form button[name=action][value=request]")
    request = AccessRequest.objects.get(service=service, client=client)
    page.goto(f"/catalog/mine/access-requests/{request.pk}/")
    page.click("button[name=action][value=grant]")

    # The grant is in the next global configuration, verified as a gateway would.
    anchor = gc.ConfigurationAnchor.from_bytes(other.request.get("/globalconf/anchor.json").body())
    conf = gc.ConfigurationClient(
        f"{live_server.url}/globalconf/configuration", anchor, tmp_path
    ).refresh()
    assert gc.Grant(str(service.identifier), str(client.identifier)) in conf.grants
    assert {g.server_code: g.auth_cert_sha256 for g in conf.gateways}["gw1"] == [certificate.sha256]
