"""Catalog services (003 §3.1.1, §3.2.1, §3.2.2, §3.2.8, §3.2.13, §4; 004 multilateral access)."""

from __future__ import annotations

import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core import mail
from django.utils import timezone

from tests.factories import (
    OPENAPI_YAML,
    SHARED_FIELDS,
    EmployeeFactory,
    csr_for,
    make_element,
    make_participant,
)
from tunduk.catalog.choices import CertificateStatus, GatewayStatus, ParticipantStatus
from tunduk.catalog.models import Participant
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.services import access, gateways, notices, participants, systems
from tunduk.core.errors import InvalidInput, NotPermitted, TransitionError
from tunduk.trust.csr import make_csr

pytestmark = pytest.mark.django_db


def _service(provider, code="birth-records"):
    _, engineer, subsystem = provider
    return systems.save_service(
        engineer,
        subsystem,
        service_code=code,
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )


def test_operator_registers_participant_with_xroad_identifier(tunduk_operator):
    """003 §3.1.1: the operator registers the owner in the Catalog as INSTANCE/CLASS/CODE."""
    participant, _ = make_participant(tunduk_operator, "70000009")
    assert str(participant.identifier) == "KG/GOV/70000009"


def test_forbidden_character_and_duplicate_code_are_refused(tunduk_operator):
    """003 §3.1.1: a member code with a forbidden character or already used is refused, nothing stored."""
    participant, _ = make_participant(tunduk_operator, "70000009")
    other = EmployeeFactory().subject
    with pytest.raises(InvalidInput, match="forbidden character '/'") as error:
        participants.register_participant(tunduk_operator, other, "GOV", "7000/01")
    assert error.value.field == "member_code"
    with pytest.raises(InvalidInput, match="already used"):
        participants.register_participant(tunduk_operator, other, "GOV", participant.member_code)
    assert Participant.objects.filter(subject=other).count() == 0


def test_only_the_tunduk_operator_registers_participants(employee):
    """003 §3.1.1: a subject's employee cannot register participants."""
    with pytest.raises(NotPermitted):
        participants.register_participant(employee, employee.subject, "GOV", "1")


def test_subsystem_is_the_registered_information_system(provider, tunduk_operator):
    """003 §3.2.2: a subsystem is a registered information-system element of the same subject."""
    participant, engineer, subsystem = provider
    assert subsystem.element.registration_code
    assert str(subsystem.identifier) == "KG/GOV/70000001/births"
    draft = make_element(engineer, full_name="Not registered yet")
    with pytest.raises(InvalidInput, match="registered in the Registry") as error:
        systems.register_subsystem(engineer, participant, "draft", "Draft", draft)
    assert error.value.field == "element"


def test_service_reads_endpoints_and_requires_shared_fields(provider):
    """003 §3.2.2, appendix 1: a service's OpenAPI endpoints are read; the shared fields are listed."""
    service = _service(provider)
    assert {(e.method, e.path) for e in service.endpoints.all()} == {
        ("GET", "/births/*"),
        ("POST", "/births"),
    }
    assert [f.name for f in service.shared_fields.all()] == ["child_name", "birth_date"]
    _, engineer, subsystem = provider
    with pytest.raises(InvalidInput, match="appendix 1"):
        systems.save_service(
            engineer,
            subsystem,
            service_code="x",
            title="X",
            backend_url="https://x.internal",
            openapi_text=None,
            shared_fields=[],
        )


def test_invalid_openapi_names_the_failing_part(provider):
    """003 §3.2.2: an invalid OpenAPI document is refused, naming the part that is wrong."""
    _, engineer, subsystem = provider
    broken = OPENAPI_YAML.replace("{description: found}", "{description: 5}")
    with pytest.raises(
        InvalidInput, match=re.escape("paths › /births/{id} › get › responses")
    ) as error:
        systems.save_service(
            engineer,
            subsystem,
            service_code="broken",
            title="Broken",
            backend_url="https://x.internal",
            openapi_text=broken,
            shared_fields=SHARED_FIELDS,
        )
    assert error.value.field == "openapi_document"


def test_gateway_registered_by_csr_and_approved_with_certificate(provider, tunduk_operator):
    """003 §3.2.1: the gateway is registered with its CSR; approval issues its authentication certificate."""
    participant, engineer, _ = provider
    gateway = gateways.register_gateway(
        engineer, participant, "gw1", "gw1.births.kg:5500", csr_for(participant, server_code="gw1")
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    gateway.refresh_from_db()
    certificate = gateway.certificates.get()
    assert gateway.status == GatewayStatus.APPROVED
    assert certificate.status == CertificateStatus.ISSUED and len(certificate.sha256) == 64
    issued = x509.load_pem_x509_certificate(certificate.certificate_pem.encode())
    assert issued.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "gw1"


def test_weak_key_and_wrong_subject_are_refused(provider):
    """003 §3.2.1: a CSR with a weak key or another participant's identity is refused."""
    participant, engineer, _ = provider
    weak = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidInput, match="weak_key") as error:
        gateways.register_gateway(
            engineer,
            participant,
            "gw2",
            "gw2.kg",
            csr_for(participant, server_code="gw2", key=weak),
        )
    assert error.value.field == "auth_csr_pem"
    with pytest.raises(InvalidInput, match="subject_mismatch"):
        gateways.register_gateway(
            engineer, participant, "gw3", "gw3.kg", csr_for(participant, server_code="another")
        )
    assert not participant.gateways.exists()


def test_signing_certificate_issued_and_revoked(provider, tunduk_operator):
    """003 §3.2.1: a signing certificate is requested by CSR, issued, and can be revoked."""
    participant, engineer, _ = provider
    certificate = gateways.request_certificate(
        engineer, participant, "signing", csr_for(participant)
    )
    gateways.issue_certificate(tunduk_operator, certificate)
    gateways.revoke_certificate(tunduk_operator, certificate, "Key compromised")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_at
    with pytest.raises(TransitionError):
        gateways.revoke_certificate(tunduk_operator, certificate, "again")


def test_issued_certificate_subject_is_the_participants_identity_only(provider, tunduk_operator):
    """Issue 7 (Low): extra attributes in a participant's CSR are dropped from the issued subject."""
    participant, engineer, _ = provider
    attributes = {
        "C": "KG",
        "O": "GOV",
        "serialNumber": "GOV/70000001",
        "CN": "70000001",
        "OU": "Ministry of Defence",
        "L": "Bishkek",
    }
    csr = make_csr(ec.generate_private_key(ec.SECP256R1()), attributes).decode()
    certificate = gateways.request_certificate(engineer, participant, "signing", csr)
    gateways.issue_certificate(tunduk_operator, certificate)
    certificate.refresh_from_db()
    issued = x509.load_pem_x509_certificate(certificate.certificate_pem.encode())
    assert issued.subject.rfc4514_string() == "CN=70000001,2.5.4.5=GOV/70000001,O=GOV,C=KG"


def test_any_participant_requests_and_owner_grants(provider, consumer):
    """004 multilateral, 003 §3.2.8: any participant asks for access; the owner grants it."""
    service = _service(provider)
    _, owner, _ = provider
    _, engineer, client = consumer
    request = access.request_access(engineer, client, service, "Checking benefit eligibility")
    with pytest.raises(NotPermitted):
        access.decide_access(engineer, request, grant=True)
    access.decide_access(owner, request, grant=True)
    grant = service.grants.get()
    assert grant.client == client and grant.revoked_at is None
    access.revoke_grant(owner, grant, "Agreement ended")
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_suspended_participant_cannot_request_access(
    provider, consumer, tunduk_operator, django_capture_on_commit_callbacks
):
    """003 §4: the participant is told the reasons; a suspended participant's requests are refused."""
    service = _service(provider)
    participant, engineer, client = consumer
    with django_capture_on_commit_callbacks(execute=True):
        participants.change_status(
            tunduk_operator, participant, "suspend", "Breach of 003 §3.2.7", security_incident=True
        )
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.SUSPENDED
    assert any("Breach of 003 §3.2.7" in message.body for message in mail.outbox)
    with pytest.raises(NotPermitted, match="suspended"):
        access.request_access(engineer, client, service, "Eligibility")


def test_participant_leaves_with_reasons(consumer, tunduk_operator):
    """003 §4: a participant may leave, giving notice with its reasons."""
    participant, engineer, _ = consumer
    with pytest.raises(InvalidInput):
        participants.change_status(engineer, participant, "leave", "  ")
    participants.change_status(
        engineer,
        participant,
        "leave",
        "Our system is under attack",
        effective_at=timezone.now() + PRIOR_NOTICE,
    )
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE  # 003 §4: prior notice first
    participant.status_changes.filter(kind="leave").update(effective_at=timezone.now())
    participants.apply_due_changes()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.LEFT
    assert participant.status_changes.get(kind="leave").reason == "Our system is under attack"


def test_outage_reported_to_operator_at_once(
    provider, tunduk_operator, django_capture_on_commit_callbacks
):
    """003 §3.2.13: an outage report reaches the operator at once."""
    from django.utils import timezone

    participant, engineer, _ = provider
    with django_capture_on_commit_callbacks(execute=True):
        notices.report_notice(
            engineer,
            participant,
            kind="outage",
            title="Database down",
            description="Primary failed",
            starts_at=timezone.now(),
        )
    assert any("Database down" in message.subject for message in mail.outbox)
