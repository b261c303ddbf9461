"""Gateways and certificates: registered by CSR, approved and issued by the operator (003 §3.2.1)."""

from __future__ import annotations

from cryptography import x509
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.choices import (
    CertificateProfile,
    CertificateStatus,
    RevocationReason,
)
from tunduk.catalog.lifecycle import CERTIFICATE, GATEWAY, Action
from tunduk.catalog.models import Certificate, Gateway, Participant
from tunduk.catalog.revocation import publish_crl
from tunduk.catalog.services import _tell
from tunduk.catalog.services._common import (
    commit_event,
    configuration_changed,
    require_active,
    require_connected,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.catalog.trust import central_ca, issue_certificate_from_csr
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.identifiers import IdentifierError, check_part
from tunduk.notifications.kinds import NotificationKind
from tunduk.trust.csr import CsrError, ExpectedSubject, validate_csr
from tunduk.trust.profiles import CertificateProfile as TrustProfile

PROFILES = {
    CertificateProfile.AUTHENTICATION: TrustProfile.AUTHENTICATION,
    CertificateProfile.SIGNING: TrustProfile.SIGNING,
}


def _expected(participant: Participant, gateway: Gateway | None) -> ExpectedSubject:
    if gateway is not None:
        return ExpectedSubject.for_server(gateway.identifier)
    return ExpectedSubject.for_member(participant.identifier)


def _check_csr(
    csr_pem: str,
    profile: str,
    participant: Participant,
    gateway: Gateway | None,
    field: str = "csr_pem",
) -> x509.CertificateSigningRequest:
    try:
        return validate_csr(
            csr_pem.encode(),
            profile=PROFILES[CertificateProfile(profile)],
            expected=_expected(participant, gateway),
        )
    except CsrError as error:
        raise InvalidInput(
            _("The certificate signing request is refused (%(code)s): %(message)s")
            % {"code": error.code, "message": error.message},
            field=field,
            check=str(error.code),
        ) from error


def _new_certificate(
    user: Actor,
    participant: Participant,
    profile: str,
    csr_pem: str,
    gateway: Gateway | None,
    field: str = "csr_pem",
) -> Certificate:
    _check_csr(csr_pem, profile, participant, gateway, field)
    certificate = Certificate.objects.create(
        participant=participant,
        gateway=gateway,
        profile=profile,
        csr_pem=csr_pem.strip(),
        requested_by=signed_in_user(user),
    )
    commit_event(Event.CERTIFICATE_REQUESTED, certificate, user, profile=profile)
    return certificate


def _check_address(address: str) -> None:
    if not address.strip() or any(char.isspace() for char in address.strip()):
        raise InvalidInput(_("Give the gateway's host name or host:port."), field="address")


@service
def register_gateway(
    user: Actor, participant: Participant, server_code: str, address: str, auth_csr_pem: str
) -> Gateway:
    """Register a gateway with its address and the CSR of its authentication certificate."""
    require_member_of(user, participant, action="register_gateway")
    require_active(user, participant, action="register_gateway")
    try:
        check_part(server_code, "server code")
    except IdentifierError as error:
        raise InvalidInput(str(error), field="server_code") from error
    if participant.gateways.filter(server_code=server_code).exists():
        raise InvalidInput(
            _("The server code %(code)s is already used by this participant.")
            % {"code": server_code},
            field="server_code",
        )
    _check_address(address)
    gateway = Gateway.objects.create(
        participant=participant,
        server_code=server_code,
        address=address.strip(),
        registered_by=signed_in_user(user),
    )
    commit_event(Event.GATEWAY_REGISTERED, gateway, user, identifier=str(gateway.identifier))
    _new_certificate(
        user, participant, CertificateProfile.AUTHENTICATION, auth_csr_pem, gateway, "auth_csr_pem"
    )
    _tell.gateway_registered(gateway)
    return gateway


@service
def change_gateway_address(user: Actor, gateway: Gateway, address: str) -> Gateway:
    """Move a gateway to a new host or port; the next configuration lists the new address."""
    gateway = Gateway.objects.select_for_update().select_related("participant").get(pk=gateway.pk)
    require_member_of(user, gateway.participant, obj=gateway, action="change_gateway_address")
    require_active(user, gateway.participant, action="change_gateway_address")
    _check_address(address)
    previous = gateway.address
    if previous == address.strip():
        return gateway
    gateway.address = address.strip()
    gateway.save(update_fields=["address"])
    commit_event(
        Event.GATEWAY_ADDRESS_CHANGED, gateway, user, previous=previous, address=gateway.address
    )
    configuration_changed()
    return gateway


@service
def request_certificate(
    user: Actor,
    participant: Participant,
    profile: str,
    csr_pem: str,
    gateway: Gateway | None = None,
) -> Certificate:
    """Request a signing certificate (or a new authentication certificate for a gateway)."""
    require_member_of(user, participant, action="request_certificate")
    require_active(user, participant, action="request_certificate")
    if profile not in CertificateProfile.values:
        raise InvalidInput(_("Unknown certificate profile."), field="profile")
    if profile == CertificateProfile.AUTHENTICATION and gateway is None:
        raise InvalidInput(
            _("An authentication certificate belongs to a gateway."), field="gateway"
        )
    if gateway is not None and gateway.participant_id != participant.pk:
        raise InvalidInput(_("The gateway belongs to another participant."), field="gateway")
    certificate = _new_certificate(
        user,
        participant,
        profile,
        csr_pem,
        gateway if profile == CertificateProfile.AUTHENTICATION else None,
    )
    _tell.certificate_requested(certificate)
    return certificate


def _lock_certificate(certificate: Certificate, action: Action) -> Certificate:
    """Lock the certificate's row and check that ``action`` may be taken on it."""
    certificate = (
        # Lock the certificate row only: the gateway is the nullable side of an outer join.
        Certificate.objects.select_for_update(of=("self",))
        .select_related("participant", "gateway")
        .get(pk=certificate.pk)
    )
    CERTIFICATE.next_status(certificate.status, action)
    return certificate


def _issue(user: Actor, certificate: Certificate) -> Certificate:
    csr = _check_csr(
        certificate.csr_pem, certificate.profile, certificate.participant, certificate.gateway
    )
    issued = issue_certificate_from_csr(
        central_ca(),
        csr,
        PROFILES[CertificateProfile(certificate.profile)],
        # The subject is the identity we expect, not whatever else the request carries.
        _expected(certificate.participant, certificate.gateway),
    )
    certificate.certificate_pem = issued.pem
    certificate.serial_number = issued.serial_hex
    certificate.sha256 = issued.sha256
    certificate.not_after = issued.not_after
    certificate.status = CERTIFICATE.next_status(certificate.status, Action.ISSUE)
    certificate.issued_at = timezone.now()
    certificate.save()
    commit_event(
        Event.CERTIFICATE_ISSUED, certificate, user, serial=issued.serial_hex, sha256=issued.sha256
    )
    return certificate


@service
def issue_certificate(user: Actor, certificate: Certificate) -> Certificate:
    """The operator issues a requested certificate from its CSR."""
    require_tunduk_operator(user, certificate, "issue_certificate")
    certificate = _lock_certificate(certificate, Action.ISSUE)
    require_connected(user, certificate.participant, action="issue_certificate")
    _issue(user, certificate)
    configuration_changed()
    _tell.certificate_decided(certificate, NotificationKind.CERTIFICATE_ISSUED)
    return certificate


@service
def refuse_certificate(user: Actor, certificate: Certificate, reason: str) -> Certificate:
    """The operator refuses a request, saying why."""
    require_tunduk_operator(user, certificate, "refuse_certificate")
    if not reason.strip():
        raise InvalidInput(_("State why the request is refused."), field="reason")
    certificate = _lock_certificate(certificate, Action.REFUSE)
    certificate.status = CERTIFICATE.next_status(certificate.status, Action.REFUSE)
    certificate.revocation_reason = reason.strip()
    certificate.save()
    commit_event(Event.CERTIFICATE_REFUSED, certificate, user)
    _tell.certificate_decided(certificate, NotificationKind.CERTIFICATE_REFUSED)
    return certificate


def require_revoker(user: Actor, certificate: Certificate) -> None:
    """The operator revokes any certificate; a participant's engineers only their own."""
    if user.is_authenticated and user.role == Role.TUNDUK_OPERATOR:
        return
    require_member_of(user, certificate.participant, obj=certificate, action="revoke_certificate")


def _mark_revoked(user: Actor, certificate: Certificate, reason: str, code: str) -> None:
    certificate.status = CERTIFICATE.next_status(certificate.status, Action.REVOKE)
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.revocation_code = code
    certificate.save()
    commit_event(
        Event.CERTIFICATE_REVOKED, certificate, user, serial=certificate.serial_number, code=code
    )


@service
def revoke_certificate(
    user: Actor,
    certificate: Certificate,
    reason: str,
    code: str = RevocationReason.UNSPECIFIED,
) -> Certificate:
    """Revoke an issued certificate, saying why (``reason``) and under which CRL ``code``.

    In the same transaction the CA's CRL is re-signed to list it; after the commit the
    next global configuration drops its hash and lists its serial as revoked.
    """
    require_revoker(user, certificate)
    if not reason.strip():
        raise InvalidInput(_("State why the certificate is revoked."), field="reason")
    if code not in RevocationReason.values:
        raise InvalidInput(_("Choose one of the listed revocation reasons."), field="code")
    certificate = _lock_certificate(certificate, Action.REVOKE)
    _mark_revoked(user, certificate, reason.strip(), code)
    publish_crl()
    configuration_changed()
    _tell.certificate_decided(certificate, NotificationKind.CERTIFICATE_REVOKED)
    return certificate


def revoke_departed(user: Actor, participant: Participant) -> int:
    """Revoke every issued certificate of a participant that left or was disconnected.

    Runs inside the status change's transaction. Dropping its gateways from the
    configuration is not enough: its signing certificate would still check as valid.
    """
    issued = Certificate.objects.select_for_update().filter(
        participant=participant, status=CertificateStatus.ISSUED
    )
    reason = _("%(member)s is %(status)s (003 §4).") % {
        "member": participant.identifier,
        "status": participant.get_status_display().lower(),
    }
    count = 0
    for certificate in issued:
        _mark_revoked(user, certificate, reason[:100], RevocationReason.CESSATION_OF_OPERATION)
        count += 1
    if count:
        publish_crl()
    return count


@service
def decide_gateway(user: Actor, gateway: Gateway, *, approve: bool, comment: str = "") -> Gateway:
    """The operator approves a gateway (issuing its authentication certificate) or refuses it."""
    require_tunduk_operator(user, gateway, "decide_gateway")
    gateway = Gateway.objects.select_for_update().select_related("participant").get(pk=gateway.pk)
    target = GATEWAY.next_status(gateway.status, Action.APPROVE if approve else Action.REFUSE)
    if not approve and not comment.strip():
        raise InvalidInput(_("State why the gateway is refused."), field="comment")
    pending = gateway.certificates.filter(
        profile=CertificateProfile.AUTHENTICATION, status=CertificateStatus.REQUESTED
    ).first()
    if approve:
        require_connected(user, gateway.participant, action="decide_gateway")
        if pending is None:
            raise TransitionError(_("The gateway has no authentication certificate request."))
        _issue(user, Certificate.objects.select_for_update().get(pk=pending.pk))
    elif pending is not None:
        pending.status = CERTIFICATE.next_status(pending.status, Action.REFUSE)
        pending.revocation_reason = comment.strip()
        pending.save()
        commit_event(Event.CERTIFICATE_REFUSED, pending, user)
    gateway.status = target
    gateway.decided_by = signed_in_user(user)
    gateway.decided_at = timezone.now()
    gateway.save()
    commit_event(Event.GATEWAY_DECIDED, gateway, user, approved=approve)
    configuration_changed()
    _tell.gateway_decided(gateway, comment.strip())
    return gateway
