"""Certificates from a national CA (003 §3.2.1): the operator approves an external CA, the global
configuration lists it, a participant registers a certificate it issued, and gateways accept
that certificate exactly like one the development CA issued."""

from __future__ import annotations

import base64
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.catalog.national_ca import NationalCa, der, pem, subject_of
from tests.catalog.pages import signed_in
from tests.factories import csr_for, make_participant
from tests.hostile_documents import loopback_server
from tunduk import globalconf as gc
from tunduk.catalog.choices import CertificateStatus, GatewayStatus
from tunduk.catalog.configuration import current_content
from tunduk.catalog.models import Certificate
from tunduk.catalog.revocation import revoked_certificates
from tunduk.catalog.services import authorities, gateways
from tunduk.catalog.trust import central_ca
from tunduk.core.errors import InvalidInput, NotPermitted
from tunduk.gateway._errors import GatewayError
from tunduk.gateway._sigcheck import check_signer_profile, check_validity_and_revocation, issuing_ca
from tunduk.gateway.tls import check_peer
from tunduk.trust.external import MAX_CERTIFICATE_BYTES

NAME = "National Certification Centre"


def _approved(tunduk_operator, ca: NationalCa | None = None):
    ca = ca or NationalCa.create()
    return ca, authorities.approve_external_ca(tunduk_operator, NAME, ca.pem)


def _gateway_with_request(participant, engineer, key, server_code: str = "gw1"):
    gateway = gateways.register_gateway(
        engineer,
        participant,
        server_code,
        f"{server_code}.births.kg:5500",
        csr_for(participant, server_code=server_code, key=key),
    )
    return gateway, gateway.certificates.get()


def _client(live_server, tmp_path) -> gc.ConfigurationClient:
    with urllib.request.urlopen(f"{live_server.url}/globalconf/anchor.json") as response:
        anchor = gc.ConfigurationAnchor.from_bytes(response.read())
    client = gc.ConfigurationClient(f"{live_server.url}/globalconf/configuration", anchor, tmp_path)
    client.refresh()
    return client


@pytest.mark.django_db(transaction=True)
def test_a_national_ca_certificate_is_listed_and_accepted_by_gateways_like_a_dev_ca_one(
    live_server, tmp_path, provider, tunduk_operator
):
    """003 §3.2.1: approved CA in the configuration; its certificate passes the gateway's TLS check."""
    participant, engineer, _ = provider
    key = ec.generate_private_key(ec.SECP256R1())
    gateway, request = _gateway_with_request(participant, engineer, key)
    national, authority = _approved(tunduk_operator)
    issued = national.issue(subject_of(participant, "gw1"), key.public_key(), authentication=True)
    stored = authorities.register_external_certificate(
        engineer, participant, "authentication", der(issued), request=request
    )
    assert (stored.pk, stored.status, stored.external_ca) == (
        request.pk,
        CertificateStatus.ISSUED,
        authority,
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)

    client = _client(live_server, tmp_path)
    conf = client.current()
    assert NAME in {ca.name for ca in conf.approved_cas}
    assert {g.server_code: g for g in conf.gateways}["gw1"].auth_cert_sha256 == [stored.sha256]
    assert check_peer(client, der(issued), member=participant.identifier, side="server") == (
        gateway.identifier
    )
    # The same identity and key from a CA the operator did not approve: refused by the gateway.
    stranger = NationalCa.create("Unapproved CA").issue(
        subject_of(participant, "gw1"), key.public_key(), authentication=True
    )
    with pytest.raises(GatewayError, match="not from an approved CA"):
        check_peer(client, der(stranger), member=participant.identifier, side="server")

    # Revoked, it is refused like a revoked dev-CA certificate; the exchange's CRL is not used.
    gateways.revoke_certificate(tunduk_operator, stored, "Key lost", "key_compromise")
    assert revoked_certificates(datetime.now(UTC)) == []
    client.refresh()
    with pytest.raises(GatewayError, match="revoked"):
        check_peer(client, der(issued), member=participant.identifier, side="server")


@pytest.mark.django_db
def test_a_national_ca_signing_certificate_passes_the_gateways_signer_checks(
    provider, tunduk_operator
):
    """003 §3.2.1: a registered signing certificate verifies messages like a dev-CA one."""
    participant, engineer, _ = provider
    national, _ = _approved(tunduk_operator)
    key = ec.generate_private_key(ec.SECP256R1())
    issued = national.issue(subject_of(participant), key.public_key(), authentication=False)
    stored = authorities.register_external_certificate(
        engineer, participant, "signing", pem(issued)
    )
    assert stored.status == CertificateStatus.ISSUED and stored.csr_pem == ""
    conf = current_content()
    ca = issuing_ca(issued, conf.approved_cas)
    assert ca.name == NAME
    check_signer_profile(issued, participant.identifier)
    check_validity_and_revocation(issued, ca, datetime.now(UTC))


def _other_key():
    return ec.generate_private_key(ec.SECP256R1()).public_key()


REFUSALS = {
    "unapproved_issuer": lambda p, key, national: NationalCa.create("Unapproved CA").issue(
        subject_of(p, "gw1"), key, authentication=True
    ),
    "subject_mismatch": lambda p, key, national: national.issue(
        {**subject_of(p, "gw1"), "serialNumber": "GOV/70000002"}, key, authentication=True
    ),
    "key_mismatch": lambda p, key, national: national.issue(
        subject_of(p, "gw1"), _other_key(), authentication=True
    ),
    "not_valid_now": lambda p, key, national: national.issue(
        subject_of(p, "gw1"),
        key,
        authentication=True,
        valid_from=datetime.now(UTC) - timedelta(days=400),
        valid_days=30,
    ),
    "is_ca": lambda p, key, national: national.issue(
        subject_of(p, "gw1"), key, authentication=True, is_ca=True
    ),
    "wrong_profile": lambda p, key, national: national.issue(
        subject_of(p, "gw1"), key, authentication=False
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("check", sorted(REFUSALS))
def test_unfit_certificates_are_refused_with_a_named_check(provider, tunduk_operator, check):
    """003 §3.2.1 (attacker): unapproved CA, another identity or key, expired, CA:TRUE refused."""
    participant, engineer, _ = provider
    key = ec.generate_private_key(ec.SECP256R1())
    _, request = _gateway_with_request(participant, engineer, key)
    national, _ = _approved(tunduk_operator)
    certificate = REFUSALS[check](participant, key.public_key(), national)
    with pytest.raises(InvalidInput) as refused:
        authorities.register_external_certificate(
            engineer, participant, "authentication", pem(certificate), request=request
        )
    assert refused.value.detail["check"] == check
    assert check in refused.value.message and refused.value.field == "certificate"
    request.refresh_from_db()
    assert request.status == CertificateStatus.REQUESTED and request.certificate_pem == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "check"),
    [
        (b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", "malformed"),
        (b"\x30\x82" + b"\x00" * 64, "malformed"),
        (b"-----BEGIN CERTIFICATE-----\n" + b"A" * MAX_CERTIFICATE_BYTES, "too_large"),
    ],
)
def test_uploaded_bytes_are_bounded_and_must_be_pem_or_der(provider, tunduk_operator, data, check):
    """003 §3.2.1 (attacker): oversize or non-certificate uploads are refused before parsing."""
    participant, engineer, _ = provider
    _approved(tunduk_operator)
    with pytest.raises(InvalidInput) as refused:
        authorities.register_external_certificate(engineer, participant, "signing", data)
    assert refused.value.detail["check"] == check
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_urls_in_an_uploaded_certificate_are_never_fetched(provider, tunduk_operator):
    """003 §3.2.1 (attacker): AIA and CRL distribution point URLs are not followed."""
    participant, engineer, _ = provider
    national, _ = _approved(tunduk_operator)
    key = ec.generate_private_key(ec.SECP256R1())
    with loopback_server() as server:
        issued = national.issue(
            subject_of(participant), key.public_key(), authentication=False, fetch_url=server.url
        )
        authorities.register_external_certificate(engineer, participant, "signing", pem(issued))
    assert server.requests == []


@pytest.mark.django_db
def test_another_participant_cannot_register_a_certificate_for_someone_else(
    provider, tunduk_operator
):
    """003 §3.2.1 (attacker): another organisation's engineer or request is refused."""
    participant, engineer, _ = provider
    other, intruder = make_participant(tunduk_operator, "70000009")
    key = ec.generate_private_key(ec.SECP256R1())
    _, request = _gateway_with_request(participant, engineer, key)
    national, _ = _approved(tunduk_operator)
    issued = national.issue(subject_of(participant, "gw1"), key.public_key(), authentication=True)
    with pytest.raises(NotPermitted):
        authorities.register_external_certificate(
            intruder, participant, "authentication", pem(issued), request=request
        )
    with pytest.raises(InvalidInput, match="another participant"):
        authorities.register_external_certificate(
            intruder, other, "authentication", pem(issued), request=request
        )
    request.refresh_from_db()
    assert request.status == CertificateStatus.REQUESTED


@pytest.mark.django_db
def test_the_same_certificate_cannot_be_registered_twice(provider, tunduk_operator):
    """003 §3.2.1 (attacker): a replayed registration of a registered certificate is refused."""
    participant, engineer, _ = provider
    national, _ = _approved(tunduk_operator)
    issued = national.issue(subject_of(participant), _other_key(), authentication=False)
    authorities.register_external_certificate(engineer, participant, "signing", pem(issued))
    with pytest.raises(InvalidInput, match="registered already"):
        authorities.register_external_certificate(engineer, participant, "signing", der(issued))
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_only_the_tunduk_operator_approves_and_only_ca_certificates(provider, tunduk_operator):
    """003 §3.2.1 (attacker): an engineer cannot approve a CA; a leaf is no CA to approve."""
    participant, engineer, _ = provider
    national = NationalCa.create()
    with pytest.raises(NotPermitted):
        authorities.approve_external_ca(engineer, NAME, national.pem)
    leaf = national.issue(subject_of(participant), _other_key(), authentication=False)
    with pytest.raises(InvalidInput) as refused:
        authorities.approve_external_ca(tunduk_operator, NAME, pem(leaf))
    assert refused.value.detail["check"] == "not_a_ca"
    with pytest.raises(InvalidInput, match="already used"):
        authorities.approve_external_ca(tunduk_operator, "Tunduk CA", national.pem)
    with pytest.raises(InvalidInput, match="own certificate"):
        authorities.approve_external_ca(tunduk_operator, NAME, central_ca().certificate_pem)
    assert NAME not in {ca.name for ca in current_content().approved_cas}


@pytest.mark.django_db
def test_a_withdrawn_ca_leaves_the_configuration_with_its_certificates(provider, tunduk_operator):
    """003 §3.2.1: withdrawing the approval drops the CA and its gateways' certificates."""
    participant, engineer, _ = provider
    key = ec.generate_private_key(ec.SECP256R1())
    gateway, request = _gateway_with_request(participant, engineer, key)
    national, authority = _approved(tunduk_operator)
    issued = national.issue(subject_of(participant, "gw1"), key.public_key(), authentication=True)
    authorities.register_external_certificate(
        engineer, participant, "authentication", pem(issued), request=request
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    assert gateway.__class__.objects.get(pk=gateway.pk).status == GatewayStatus.APPROVED
    listed = {g.server_code: g for g in current_content().gateways}
    assert listed["gw1"].auth_cert_sha256 != []
    authorities.withdraw_external_ca(tunduk_operator, authority, "No longer accredited")
    conf = current_content()
    assert NAME not in {ca.name for ca in conf.approved_cas}
    assert {g.server_code: g for g in conf.gateways}["gw1"].auth_cert_sha256 == []


@pytest.mark.django_db
def test_approving_and_registering_over_the_api(api_as, public_api, provider, tunduk_operator):
    """003 §3.2.1: the operator approves over the API, the participant registers base64 DER."""
    participant, engineer, _ = provider
    national = NationalCa.create()
    refused = api_as(engineer).post(
        "/catalog/certificate-authorities", {"name": NAME, "certificate": national.pem.decode()}
    )
    assert refused.status_code == 403
    approved = api_as(tunduk_operator).post(
        "/catalog/certificate-authorities", {"name": NAME, "certificate": national.pem.decode()}
    )
    assert approved.status_code == 201, approved.json()
    assert [ca["name"] for ca in public_api.get("/catalog/certificate-authorities").json()] == [
        NAME
    ]
    issued = national.issue(subject_of(participant), _other_key(), authentication=False)
    registered = api_as(engineer).post(
        "/catalog/certificates/external",
        {
            "participant": participant.pk,
            "profile": "signing",
            "certificate": base64.b64encode(der(issued)).decode(),
        },
    )
    assert registered.status_code == 201, registered.json()
    body = registered.json()
    assert (body["status"], body["external_ca_name"]) == ("issued", NAME)
    assert body["serial_number"] == format(issued.serial_number, "x")
    foreign = NationalCa.create("Unapproved").issue(
        subject_of(participant), _other_key(), authentication=False
    )
    bad = api_as(engineer).post(
        "/catalog/certificates/external",
        {"participant": participant.pk, "profile": "signing", "certificate": pem(foreign).decode()},
    )
    assert bad.status_code == 400
    assert "unapproved_issuer" in bad.content.decode()


@pytest.mark.django_db
def test_the_operator_approves_and_the_participant_registers_on_the_pages(
    provider, tunduk_operator
):
    """003 §3.2.1: approve a CA by uploading its DER file; register a PEM; the page names the CA."""
    participant, engineer, _ = provider
    national = NationalCa.create()
    operator_page = signed_in(tunduk_operator)
    approved = operator_page.post(
        reverse("catalog:external-ca-list"),
        {
            "name": NAME,
            "certificate_file": SimpleUploadedFile("ca.cer", der(national.certificate)),
            "action": "approve",
        },
    )
    assert approved.status_code == 302, approved.content.decode()
    assert NAME in operator_page.get(reverse("catalog:external-ca-list")).content.decode()

    issued = national.issue(subject_of(participant), _other_key(), authentication=False)
    registered = signed_in(engineer).post(
        reverse("catalog:external-certificate-register"),
        {"profile": "signing", "certificate_text": pem(issued).decode(), "action": "register"},
    )
    assert registered.status_code == 302, registered.content.decode()
    detail = signed_in(engineer).get(registered["Location"]).content.decode()
    assert f"{NAME} (approved external CA)" in detail


@pytest.mark.django_db
def test_pages_refuse_engineers_foreign_requests_and_unapproved_certificates(
    provider, tunduk_operator
):
    """003 §3.2.1 (attacker): no CA page for engineers; no other participant's request;
    an unapproved CA's certificate is refused on the form with its check named."""
    participant, engineer, _ = provider
    _, intruder = make_participant(tunduk_operator, "70000009")
    key = ec.generate_private_key(ec.SECP256R1())
    _, request = _gateway_with_request(participant, engineer, key)
    assert signed_in(engineer).get(reverse("catalog:external-ca-list")).status_code == 403
    national, _ = _approved(tunduk_operator)
    issued = national.issue(subject_of(participant, "gw1"), key.public_key(), authentication=True)
    foreign_request = signed_in(intruder).post(
        reverse("catalog:external-certificate-register"),
        {
            "profile": "authentication",
            "request": str(request.pk),
            "certificate_text": pem(issued).decode(),
            "action": "register",
        },
    )
    assert foreign_request.status_code == 400
    unapproved = NationalCa.create("Unapproved").issue(
        subject_of(participant), _other_key(), authentication=False
    )
    refused = signed_in(engineer).post(
        reverse("catalog:external-certificate-register"),
        {"profile": "signing", "certificate_text": pem(unapproved).decode(), "action": "register"},
    )
    assert refused.status_code == 400
    assert "unapproved_issuer" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == CertificateStatus.REQUESTED
