"""``/api/catalog/certificate-authorities`` and ``/api/catalog/certificates/external``:
external CAs the Tunduk operator approves, and certificates they issued (003 §3.2.1).

The list of approved CAs is public, like the global configuration that publishes them.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.types import ObjectId, PathId, Text
from tunduk.catalog.api.gateways import certificates_router
from tunduk.catalog.api.lookups import optional_reference, referenced
from tunduk.catalog.api.presenters import certificate_out
from tunduk.catalog.api.schemas import CertificateOut
from tunduk.catalog.choices import CertificateProfile
from tunduk.catalog.models import Certificate, ExternalCertificateAuthority, Participant
from tunduk.catalog.services import authorities as services
from tunduk.catalog.visibility import visible_certificates, visible_gateways
from tunduk.core.errors import InvalidInput
from tunduk.trust.external import MAX_CERTIFICATE_BYTES

router = Router(tags=["catalog: certificates"])

# Base64 grows the bytes by a third; anything longer cannot be a certificate we accept.
CertificateText = Field(
    max_length=MAX_CERTIFICATE_BYTES * 2,
    description="The certificate in PEM, or its DER bytes in base64.",
)


class ExternalCaIn(Schema):
    """The operator approves an external CA by its certificate."""

    name: str = Field(min_length=1, max_length=200)
    certificate: str = CertificateText


class WithdrawCaIn(Schema):
    """Why the approval is withdrawn."""

    reason: Text


class ExternalCaOut(Schema):
    """An external CA the operator approved (or whose approval was withdrawn)."""

    id: int
    name: str
    subject: str
    sha256: str
    certificate_pem: str
    not_after: datetime
    approved_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str


class ExternalCertificateIn(Schema):
    """A participant registers a certificate an approved external CA issued."""

    participant: ObjectId
    profile: CertificateProfile
    certificate: str = CertificateText
    gateway: ObjectId | None = Field(None, description="Needed for an authentication certificate.")
    request: ObjectId | None = Field(
        None, description="The participant's pending request the CA issued it for (same key)."
    )


def certificate_bytes(text: str) -> bytes:
    """PEM text as it is, or the DER bytes of base64 text; a named 400 for anything else."""
    if text.lstrip().startswith("-----BEGIN"):
        return text.encode("ascii", "replace")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            _("Send the certificate in PEM, or its DER bytes in base64."), field="certificate"
        ) from None


def authority_out(authority: ExternalCertificateAuthority) -> dict[str, Any]:
    return {
        name: getattr(authority, name)
        for name in (
            "id",
            "name",
            "subject",
            "sha256",
            "certificate_pem",
            "not_after",
            "approved_at",
            "withdrawn_at",
            "withdrawal_reason",
        )
    }


@router.get(
    "",
    response=responses({200: list[ExternalCaOut]}),
    auth=token_optional,
    summary="List approved external CAs",
)
def list_authorities(request: HttpRequest) -> list[dict[str, Any]]:
    """External CAs the operator approved, withdrawn ones included with the reason."""
    return [authority_out(a) for a in ExternalCertificateAuthority.objects.order_by("name")]


@router.post(
    "",
    response=responses({201: ExternalCaOut}),
    auth=token_required,
    summary="Approve an external CA",
)
def approve(request: HttpRequest, payload: ExternalCaIn) -> Status[dict[str, Any]]:
    """The Tunduk operator approves a CA; the next global configuration lists it."""
    authority = services.approve_external_ca(
        actor(request), payload.name, certificate_bytes(payload.certificate)
    )
    return Status(201, authority_out(authority))


@router.post(
    "/{authority_id}/withdraw",
    response=responses({200: ExternalCaOut}),
    auth=token_required,
    summary="Withdraw an approval",
)
def withdraw(request: HttpRequest, authority_id: PathId, payload: WithdrawCaIn) -> dict[str, Any]:
    """The operator withdraws the approval; gateways then refuse the CA's certificates."""
    found = get_or_404(ExternalCertificateAuthority.objects.all(), authority_id)
    return authority_out(services.withdraw_external_ca(actor(request), found, payload.reason))


@certificates_router.post(
    "/external",
    response=responses({201: CertificateOut}),
    summary="Register a certificate of an approved external CA",
)
def register_external(
    request: HttpRequest, payload: ExternalCertificateIn
) -> Status[dict[str, Any]]:
    """A participant registers a certificate an approved external CA issued, for one of its
    gateways (authentication) or its information systems (signing), optionally for a
    pending request of its own. Refusals name the check (``unapproved_issuer``, ``is_ca``,
    ``not_valid_now``, ``subject_mismatch``, ``key_mismatch``, ...)."""
    participant = referenced(Participant.objects.all(), payload.participant, "participant")
    # Another participant's gateway or request is "no such object", not a confirmation.
    gateway = optional_reference(visible_gateways(actor(request)), payload.gateway, "gateway")
    pending = optional_reference(visible_certificates(actor(request)), payload.request, "request")
    stored = services.register_external_certificate(
        actor(request),
        participant,
        payload.profile,
        certificate_bytes(payload.certificate),
        gateway=gateway,
        request=pending,
    )
    return Status(
        201,
        certificate_out(
            Certificate.objects.select_related("participant", "external_ca").get(pk=stored.pk)
        ),
    )
