"""External CAs approved by the Tunduk operator, and certificates they issued (003 §3.2.1).

The operator approves a CA (:func:`approve_external_ca`); the next global configuration
lists it beside the participants' CA. A participant then registers a certificate that CA
issued (:func:`register_external_certificate`), either on its own or for a request it
made in the Catalog (the key must then be the request's). The certificate is stored as
issued and, from then on, behaves like one the participants' CA issued: an authentication
certificate's hash is listed for its gateway, a signing certificate verifies messages,
revocation lists its serial under its CA in the configuration.
"""

from __future__ import annotations

from cryptography import x509
from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.catalog.choices import CertificateProfile, CertificateStatus
from tunduk.catalog.lifecycle import CERTIFICATE, Action
from tunduk.catalog.models import Certificate, ExternalCertificateAuthority, Gateway, Participant
from tunduk.catalog.services._common import (
    commit_event,
    configuration_changed,
    require_connected,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.catalog.services.gateways import PROFILES, expected_subject
from tunduk.catalog.trust import CENTRAL_CA_NAME, central_ca, configuration_signer
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.trust import certificate_hash
from tunduk.trust.ca import certificate_to_pem, issued_by
from tunduk.trust.certificates import format_name
from tunduk.trust.csr import load_csr
from tunduk.trust.external import (
    CertificateCheckError,
    check_authority,
    check_issued_certificate,
)


def _refused(error: CertificateCheckError, field: str) -> InvalidInput:
    return InvalidInput(
        _("The certificate is refused (%(code)s): %(message)s")
        % {"code": error.code, "message": error.message},
        field=field,
        check=str(error.code),
    )


def _check_not_ours(certificate: x509.Certificate) -> None:
    """The CA is neither the participants' CA nor the configuration signer (nor its issuer)."""
    ours = central_ca().certificate
    signer = configuration_signer()[1]
    if certificate_hash(certificate) in {certificate_hash(ours), certificate_hash(signer)}:
        raise InvalidInput(
            _("This is the exchange's own certificate; it is approved already."),
            field="certificate",
        )
    if issued_by(signer, certificate):
        raise InvalidInput(
            _(
                "This CA issued the global configuration's signer; approving it would let "
                "its participants' certificates pass for the signer."
            ),
            field="certificate",
        )


@service
def approve_external_ca(
    user: Actor, name: str, certificate_data: bytes
) -> ExternalCertificateAuthority:
    """The Tunduk operator approves an external CA; the global configuration lists it."""
    require_tunduk_operator(user, action="approve_external_ca")
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the CA a name."), field="name")
    if name == CENTRAL_CA_NAME or ExternalCertificateAuthority.objects.filter(name=name).exists():
        raise InvalidInput(
            _("The name %(name)s is already used by an approved CA.") % {"name": name},
            field="name",
        )
    try:
        certificate = check_authority(certificate_data, now=timezone.now())
    except CertificateCheckError as error:
        raise _refused(error, "certificate") from error
    _check_not_ours(certificate)
    digest = certificate_hash(certificate)
    if ExternalCertificateAuthority.objects.filter(sha256=digest).exists():
        raise InvalidInput(_("This CA is approved already."), field="certificate")
    authority = ExternalCertificateAuthority.objects.create(
        name=name,
        certificate_pem=certificate_to_pem(certificate).decode(),
        sha256=digest,
        subject=format_name(certificate.subject)[:500],
        not_after=certificate.not_valid_after_utc,
        approved_by=signed_in_user(user),
    )
    commit_event(Event.CERTIFICATE_AUTHORITY_APPROVED, authority, user, sha256=digest, name=name)
    configuration_changed()
    return authority


@service
def withdraw_external_ca(
    user: Actor, authority: ExternalCertificateAuthority, reason: str
) -> ExternalCertificateAuthority:
    """The operator withdraws an approval; the next configuration no longer lists the CA,
    so gateways refuse every certificate it issued."""
    require_tunduk_operator(user, authority, "withdraw_external_ca")
    authority = ExternalCertificateAuthority.objects.select_for_update().get(pk=authority.pk)
    if not authority.is_approved:
        raise TransitionError(_("The approval of this CA is withdrawn already."))
    if not reason.strip():
        raise InvalidInput(_("State why the approval is withdrawn."), field="reason")
    authority.withdrawn_at = timezone.now()
    authority.withdrawn_by = signed_in_user(user)
    authority.withdrawal_reason = reason.strip()
    authority.save()
    commit_event(Event.CERTIFICATE_AUTHORITY_WITHDRAWN, authority, user)
    configuration_changed()
    return authority


def _target(
    participant: Participant,
    profile: str,
    gateway: Gateway | None,
    request: Certificate | None,
) -> tuple[Gateway | None, Certificate | None]:
    """Check where the certificate goes; return the gateway and the locked request, if any."""
    if profile not in CertificateProfile.values:
        raise InvalidInput(_("Unknown certificate profile."), field="profile")
    if request is not None:
        request = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("gateway")
            .get(pk=request.pk)
        )
        if request.participant_id != participant.pk:
            raise InvalidInput(_("The request belongs to another participant."), field="request")
        CERTIFICATE.next_status(request.status, Action.ISSUE)
        if request.profile != profile:
            raise InvalidInput(_("The request is for another profile."), field="request")
        gateway = request.gateway
    if gateway is not None and gateway.participant_id != participant.pk:
        raise InvalidInput(_("The gateway belongs to another participant."), field="gateway")
    if profile == CertificateProfile.AUTHENTICATION and gateway is None:
        raise InvalidInput(
            _("An authentication certificate belongs to a gateway."), field="gateway"
        )
    return (gateway if profile == CertificateProfile.AUTHENTICATION else None), request


@service
def register_external_certificate(
    user: Actor,
    participant: Participant,
    profile: str,
    certificate_data: bytes,
    *,
    gateway: Gateway | None = None,
    request: Certificate | None = None,
) -> Certificate:
    """A participant registers a certificate an approved external CA issued (003 §3.2.1).

    Refused with a named check: an unapproved issuer, a CA certificate, not valid now, a
    key or key usage unfit for the profile, a subject other than the participant's (or
    its gateway's), a key other than ``request``'s, or a certificate registered already.
    """
    require_member_of(user, participant, action="register_external_certificate")
    require_connected(user, participant, action="register_external_certificate")
    gateway, request = _target(participant, profile, gateway, request)
    authorities = list(ExternalCertificateAuthority.objects.filter(withdrawn_at__isnull=True))
    trust_profile = PROFILES[CertificateProfile(profile)]
    request_key = load_csr(request.csr_pem.encode()).public_key() if request else None
    try:
        certificate, index = check_issued_certificate(
            certificate_data,
            authorities=[
                x509.load_pem_x509_certificate(a.certificate_pem.encode()) for a in authorities
            ],
            profile=trust_profile,
            expected=expected_subject(participant, gateway),
            now=timezone.now(),
            request_key=request_key,
        )
    except CertificateCheckError as error:
        raise _refused(error, "certificate") from error
    digest = certificate_hash(certificate)
    if Certificate.objects.filter(sha256=digest).exists():
        raise InvalidInput(_("This certificate is registered already."), field="certificate")
    stored = request or Certificate(
        participant=participant, gateway=gateway, profile=profile, requested_by=signed_in_user(user)
    )
    stored.external_ca = authorities[index]
    stored.certificate_pem = certificate_to_pem(certificate).decode()
    stored.serial_number = format(certificate.serial_number, "x")
    stored.sha256 = digest
    stored.not_after = certificate.not_valid_after_utc
    stored.status = CertificateStatus.ISSUED
    stored.issued_at = timezone.now()
    stored.save()
    commit_event(
        Event.CERTIFICATE_REGISTERED,
        stored,
        user,
        profile=profile,
        serial=stored.serial_number,
        sha256=digest,
        issuer=authorities[index].name,
    )
    configuration_changed()
    return stored
