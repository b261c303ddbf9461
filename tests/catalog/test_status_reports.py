"""Issue 9 item 6: gateways report their state to central, signed; the gateway pages show it.

The gateways here are made the way an administrator makes one: ``init_keys`` on the
gateway, its CSRs through the Catalog's services, the issued certificates installed with
``install_certificate``; the reports are made and signed by ``tunduk.gateway.status``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.catalog.pages import signed_in
from tests.gateway._tls_helpers import write_gateway_file
from tunduk.catalog.choices import CertificateProfile, RevocationReason
from tunduk.catalog.models import Certificate, Gateway, GatewayStatusReport, Participant
from tunduk.catalog.services import gateways
from tunduk.catalog.services.status_reports import MAX_REPORT_BYTES, SIGNATURE_HEADER
from tunduk.gateway.config import GatewayConfig, load_config
from tunduk.gateway.keys import GatewayKeys, init_keys, install_certificate, load_keys
from tunduk.gateway.maintenance import begin_maintenance
from tunduk.gateway.status import StatusReportError, report_status, signed_report

URL = "/globalconf/gateway-status"


@dataclass
class ReportingGateway:
    """A gateway's configuration and keys, and its row in the Catalog."""

    config: GatewayConfig
    keys: GatewayKeys
    gateway: Gateway
    sign_certificate: Certificate


def provision(
    root: Path, participant: Participant, engineer, operator, code: str, report_url: str | None
) -> ReportingGateway:
    """init_keys on the gateway, certificates from the Catalog, installed on the gateway."""
    directory = root / f"{participant.member_code}-{code}"
    directory.mkdir(parents=True)
    server = participant.identifier.server(code)
    path = write_gateway_file(
        directory, server, journal_url="sqlite:///journal.sqlite3", report_url=report_url
    )
    config = load_config(path)
    init_keys(config)
    auth_csr = (config.keys_dir / "auth.csr").read_text()
    gateway = gateways.register_gateway(engineer, participant, code, "127.0.0.1:1", auth_csr)
    gateways.decide_gateway(operator, gateway, approve=True)
    sign_csr = (config.keys_dir / "sign.csr").read_text()
    requested = gateways.request_certificate(
        engineer, participant, CertificateProfile.SIGNING, sign_csr
    )
    sign_certificate = gateways.issue_certificate(operator, requested)
    for certificate in Certificate.objects.filter(participant=participant):
        if certificate.certificate_pem:
            install_certificate(config, certificate.certificate_pem.encode())
    return ReportingGateway(config, load_keys(config), gateway, sign_certificate)


def post(client: Client, body: bytes, signature: str | None) -> tuple[int, dict]:
    headers = {} if signature is None else {"headers": {SIGNATURE_HEADER: signature}}
    response = client.post(URL, body, content_type="application/json", **headers)
    return response.status_code, (response.json() if response.content else {})


@pytest.fixture
def social_fund(tmp_path, provider, tunduk_operator) -> ReportingGateway:
    participant, engineer, _ = provider
    return provision(tmp_path, participant, engineer, tunduk_operator, "gw1", None)


@pytest.fixture
def other(tmp_path, consumer, tunduk_operator) -> ReportingGateway:
    participant, engineer, _ = consumer
    return provision(tmp_path, participant, engineer, tunduk_operator, "gw9", None)


@pytest.mark.django_db(transaction=True)
def test_report_travels_to_the_gateway_pages(
    live_server, tmp_path, provider, consumer, tunduk_operator
):
    """Issue 9 item 6: report_status POSTs to central; the Catalog's gateway pages show it."""
    participant, engineer, _ = provider
    url = f"{live_server.url}{URL}"
    reporting = provision(tmp_path, participant, engineer, tunduk_operator, "gw1", url)
    silent = provision(tmp_path, consumer[0], consumer[1], tunduk_operator, "gw2", None)
    begin_maintenance(reporting.config, "disk <swap>")

    report_status(reporting.config, reporting.keys)

    stored = GatewayStatusReport.objects.get(gateway=reporting.gateway)
    assert stored.signing_certificate == reporting.sign_certificate
    assert stored.report["gateway"] == str(reporting.config.server)
    assert stored.report["journal"]["state"] == "missing"
    page = signed_in(tunduk_operator).get(
        reverse("catalog:gateway-decide", args=[reporting.gateway.pk])
    )
    text = page.content.decode()
    assert "State as reported by the gateway" in text and "Reported at" in text
    assert 'id="reported-journal">missing' in text
    assert 'id="reported-maintenance">on since' in text
    assert "disk &lt;swap&gt;" in text  # the gateway's words, escaped
    other_page = signed_in(tunduk_operator).get(
        reverse("catalog:gateway-decide", args=[silent.gateway.pk])
    )
    assert 'id="never-reported"' in other_page.content.decode()
    mine = signed_in(engineer).get(reverse("catalog:participation")).content.decode()
    assert "reported " in mine and "configuration error" in mine
    listing = signed_in(tunduk_operator).get(reverse("catalog:gateway-list")).content.decode()
    assert "never reported" in listing
    decided = listing.split('id="decided-gateways"', 1)[1]  # its columns say what they hold
    assert decided.index('<th scope="col">State as reported by the gateway</th>') < decided.index(
        "never reported"
    )


@pytest.mark.django_db
def test_report_without_url_is_not_sent(social_fund):
    """No central.status_report_url in the gateway file: nothing is sent, nothing stored."""
    report_status(social_fund.config, social_fund.keys, status={"x": 1})
    assert not GatewayStatusReport.objects.exists()


@pytest.mark.django_db
def test_newer_report_replaces_older_and_replay_is_refused(client, social_fund):
    """Replay protection: the same signed report twice, or an older one, is refused (409)."""
    now = timezone.now()
    older = signed_report(social_fund.config, social_fund.keys, {"n": 1}, now=now)
    newer = signed_report(
        social_fund.config, social_fund.keys, {"n": 2}, now=now + timedelta(seconds=1)
    )
    assert post(client, *older)[0] == 204
    assert post(client, *newer)[0] == 204
    status, body = post(client, *newer)
    assert (status, body["code"]) == (409, "replayed")
    status, body = post(client, *older)
    assert (status, body["code"]) == (409, "replayed")
    assert GatewayStatusReport.objects.get().report == {"n": 2}


@pytest.mark.django_db
def test_report_outside_the_clock_window_is_refused(client, social_fund):
    """Replay protection: a report stamped ten minutes ago is refused even if never seen."""
    old = signed_report(
        social_fund.config,
        social_fund.keys,
        {},
        now=timezone.now() - timedelta(minutes=10),
    )
    status, body = post(client, *old)
    assert (status, body["code"], body["field"]) == (403, "outside_window", "sent_at")


@pytest.mark.django_db
def test_changed_byte_breaks_the_signature(client, social_fund):
    """Attacker on the path: one changed byte of the body fails the signature (403)."""
    body, signature = signed_report(social_fund.config, social_fund.keys, {"peers": []})
    forged = body.replace(b'"peers":[]', b'"peers":{}')
    assert forged != body
    status, answer = post(client, forged, signature)
    assert (status, answer["code"]) == (403, "bad_signature")
    assert not GatewayStatusReport.objects.exists()


@pytest.mark.django_db
def test_another_member_cannot_report_for_a_gateway(client, social_fund, other):
    """Attacker: member 70000002 reports as the social fund's gateway, with its own key."""
    # Claiming the victim's gateway while naming its own signing certificate.
    body, signature = signed_report(social_fund.config, other.keys, {})
    status, answer = post(client, body, signature)
    assert (status, answer["code"]) == (403, "signing_certificate_invalid")
    # Naming the victim's signing certificate, signed with its own key.
    body, _ = signed_report(social_fund.config, social_fund.keys, {})
    stolen = base64.b64encode(other.keys.sign_key.sign(body, ec.ECDSA(hashes.SHA256()))).decode()
    status, answer = post(client, body, stolen)
    assert (status, answer["code"]) == (403, "bad_signature")


@pytest.mark.django_db
def test_auth_certificate_must_be_the_gateways(client, social_fund, other, provider):
    """The body's authentication-certificate hash must be an issued one of that gateway."""
    participant, engineer, _ = provider
    second = Gateway.objects.create(
        participant=participant,
        server_code="gw2",
        address="127.0.0.1:2",
        status="approved",
        registered_by=engineer,
    )
    config = replace(social_fund.config, server_code=second.server_code)  # same member, gw2
    body, signature = signed_report(config, social_fund.keys, {})
    status, answer = post(client, body, signature)
    assert (status, answer["code"]) == (403, "auth_certificate_unknown")


@pytest.mark.django_db
def test_revoked_signing_certificate_is_refused(client, social_fund, provider):
    """003 §3.1: after the signing certificate is revoked its reports are refused."""
    _, engineer, _ = provider
    gateways.revoke_certificate(
        engineer, social_fund.sign_certificate, "lost", code=RevocationReason.KEY_COMPROMISE
    )
    status, answer = post(client, *signed_report(social_fund.config, social_fund.keys, {}))
    assert (status, answer["code"]) == (403, "signing_certificate_invalid")


@pytest.mark.django_db
def test_unknown_gateway_is_refused_with_central_reason(live_server, social_fund, provider):
    """A gateway the Catalog does not list (refused, or never registered) gets 403 and why."""
    Gateway.objects.filter(pk=social_fund.gateway.pk).update(status="disabled")
    config = replace(social_fund.config, status_report_url=f"{live_server.url}{URL}")
    with pytest.raises(StatusReportError, match="HTTP 403: KG/GOV/70000001/gw1 is not an approved"):
        report_status(config, social_fund.keys, status={})


@pytest.mark.django_db
def test_hostile_bodies_are_refused(client, social_fund):
    """Hostile input: no signature, bad base64, not JSON, wrong shape, too large."""
    body, signature = signed_report(social_fund.config, social_fund.keys, {})
    assert post(client, body, None)[1]["code"] == "signature_missing"
    assert post(client, body, "***")[1]["code"] == "signature_malformed"
    assert post(client, b"[" * 5000, signature)[1]["code"] == "malformed"
    assert post(client, b'{"format":"tunduk-gateway-report/1"}', signature)[1] == {
        "code": "malformed",
        "message": "The report's field gateway is missing or wrong.",
        "field": "gateway",
        "detail": {},
    }
    status, answer = post(client, b"{" + b" " * MAX_REPORT_BYTES + b"}", signature)
    assert (status, answer["code"]) == (413, "too_large")
    assert client.get(URL).status_code == 405
    assert not GatewayStatusReport.objects.exists()
