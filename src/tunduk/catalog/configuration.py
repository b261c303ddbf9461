"""Generating, signing and publishing the global configuration from the Catalog.

The document lists what gateways must know and enforce: members and their subsystems in
operation (a decommissioned information system leaves it, 000 §27–29), approved
gateways with the hashes of their valid authentication certificates, the approved CA and
TSA, groups and grants. It is regenerated after each Catalog change and on a schedule
before it expires (``tunduk.globalconf``: valid 10 minutes, regenerated every minute).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tunduk import globalconf as gc
from tunduk.catalog.choices import (
    CertificateProfile,
    CertificateStatus,
    GatewayStatus,
    ParticipantStatus,
)
from tunduk.catalog.models import (
    Certificate,
    ConfigurationVersion,
    Gateway,
    Grant,
    Group,
    Participant,
)
from tunduk.catalog.revocation import crl_url, publish_crl, revoked_serials
from tunduk.catalog.services.participants import apply_due_changes
from tunduk.catalog.trust import central_ca, configuration_signer
from tunduk.core.audit import Event, record
from tunduk.journaling.log import append_change
from tunduk.trust.ca import certificate_to_pem

logger = logging.getLogger(__name__)
MEMBER_STATUSES = {
    ParticipantStatus.ACTIVE: gc.MemberStatus.ACTIVE,
    ParticipantStatus.SUSPENDED: gc.MemberStatus.SUSPENDED,
}


def anchor() -> gc.ConfigurationAnchor:
    """The configuration anchor gateways are given out of band."""
    _, certificate = configuration_signer()
    return gc.ConfigurationAnchor(settings.TUNDUK_INSTANCE, [certificate_to_pem(certificate)])


def _members() -> list[gc.Member]:
    participants = Participant.objects.filter(status__in=MEMBER_STATUSES).select_related("subject")
    return [
        gc.Member(
            member_class=p.member_class,
            member_code=p.member_code,
            name=p.subject.name,
            status=MEMBER_STATUSES[ParticipantStatus(p.status)],
            subsystems=[
                gc.Subsystem(s.subsystem_code, s.name, s.element.registration_code)
                for s in p.subsystems.in_operation()
                .select_related("element")
                .order_by("subsystem_code")
            ],
        )
        for p in participants
    ]


def _gateways() -> list[gc.Gateway]:
    gateways = Gateway.objects.filter(
        status=GatewayStatus.APPROVED, participant__status__in=MEMBER_STATUSES
    ).select_related("participant")
    result = []
    for gateway in gateways:
        hashes = sorted(
            Certificate.objects.filter(
                gateway=gateway,
                profile=CertificateProfile.AUTHENTICATION,
                status=CertificateStatus.ISSUED,
                not_after__gt=timezone.now(),
            ).values_list("sha256", flat=True)
        )
        result.append(
            gc.Gateway(
                gateway.server_code,
                gateway.participant.member_class,
                gateway.participant.member_code,
                gateway.address,
                hashes,
            )
        )
    return result


def _groups() -> list[gc.GlobalGroup]:
    return [
        gc.GlobalGroup(
            group.code,
            group.description,
            sorted(
                str(m.subsystem.identifier)
                for m in group.memberships.filter(
                    removed_at__isnull=True, subsystem__element__decommissioned_at__isnull=True
                ).select_related("subsystem__participant")
                if m.subsystem.participant.status in MEMBER_STATUSES
            ),
        )
        for group in Group.objects.filter(instance=settings.TUNDUK_INSTANCE)
    ]


def _grants() -> list[gc.Grant]:
    grants = (
        Grant.objects.filter(
            revoked_at__isnull=True,
            service__is_enabled=True,
            service__subsystem__participant__status__in=MEMBER_STATUSES,
            # A decommissioned system neither serves nor calls (000 §27–29).
            service__subsystem__element__decommissioned_at__isnull=True,
        )
        .exclude(client__element__decommissioned_at__isnull=False)
        .select_related(
            "service__subsystem__participant", "client__participant", "group", "endpoint"
        )
    )
    result = []
    for grant in grants:
        if grant.client is not None and grant.client.participant.status not in MEMBER_STATUSES:
            continue
        client = str(grant.client.identifier) if grant.client else str(grant.group.identifier)  # type: ignore[union-attr]  # a grant names a client or a group (a check constraint)
        result.append(
            gc.Grant(
                str(grant.service.identifier),
                client,
                grant.endpoint.method if grant.endpoint else None,
                grant.endpoint.path if grant.endpoint else None,
            )
        )
    return result


def _tsas() -> list[gc.ApprovedTsa]:
    """The TSA at ``TUNDUK_TSA_URL``, once per root of ``TUNDUK_TSA_ROOTS``.

    Gateways time-stamp their journals' checkpoints there, and evidence verifiers accept
    only tokens from a TSA the configuration in force approved.
    """
    if not settings.TUNDUK_TSA_URL:
        return []
    return [
        gc.ApprovedTsa(
            "Tunduk TSA" if index == 0 else f"Tunduk TSA {index + 1}",
            settings.TUNDUK_TSA_URL,
            Path(root).read_text(encoding="ascii"),
        )
        for index, root in enumerate(settings.TUNDUK_TSA_ROOTS)
    ]


def current_content() -> gc.GlobalConfiguration:
    """The configuration the Catalog implies now (version and times filled in later)."""
    # A status change whose notice has run takes effect before the Catalog is read, even
    # if the scheduled task has not applied it yet (003 §4).
    apply_due_changes()
    ca_pem = central_ca().certificate_pem.decode()
    now = timezone.now()
    return gc.build(
        settings.TUNDUK_INSTANCE,
        1,
        members=_members(),
        gateways=_gateways(),
        approved_cas=[gc.ApprovedCa("Tunduk CA", ca_pem, crl_url(), revoked_serials(now))],
        approved_tsas=_tsas(),
        groups=_groups(),
        grants=_grants(),
        settings={"regeneration_seconds": str(int(gc.GENERATION_INTERVAL.total_seconds()))},
        now=now,
    )


def _content_digest(conf: gc.GlobalConfiguration) -> str:
    """A digest of what the configuration says, ignoring version and times."""
    stable = gc.build(
        conf.instance,
        1,
        members=conf.members,
        gateways=conf.gateways,
        approved_cas=conf.approved_cas,
        approved_tsas=conf.approved_tsas,
        groups=conf.groups,
        grants=conf.grants,
        settings=conf.settings,
        # Later than any revocation time, which a configuration must not precede.
        now=datetime(2999, 1, 1, tzinfo=UTC),
    )
    return hashlib.sha256(gc.encode(stable)).hexdigest()


@transaction.atomic
def publish_configuration(*, force: bool = False) -> ConfigurationVersion | None:
    """Sign and store a new version when the content changed or the last one nears expiry."""
    latest = ConfigurationVersion.objects.select_for_update().order_by("-version").first()
    content = current_content()
    digest = _content_digest(content)
    now = timezone.now()
    fresh = latest is not None and latest.expires_at - now > gc.DEFAULT_VALIDITY / 2
    if latest is not None and latest.content_sha256 == digest and fresh and not force:
        return None
    version = gc.next_version(latest.version if latest else None)
    conf = gc.build(
        content.instance,
        version,
        members=content.members,
        gateways=content.gateways,
        approved_cas=content.approved_cas,
        approved_tsas=content.approved_tsas,
        groups=content.groups,
        grants=content.grants,
        settings=content.settings,
        now=now,
    )
    key, certificate = configuration_signer()
    signed = gc.sign(gc.encode(conf), key, certificate)
    stored = ConfigurationVersion.objects.create(
        version=version,
        generated_at=conf.generated_at,
        expires_at=conf.expires_at,
        content_sha256=digest,
        document=signed.document,
        signature=signed.signature,
        signer_certificate_pem=signed.signer_certificate_pem.decode(),
    )
    record(Event.CONFIGURATION_PUBLISHED, obj=stored, version=version)
    append_change(Event.CONFIGURATION_PUBLISHED, stored, None, {"version": version})
    logger.info("global configuration v%d published", version)
    return stored


def latest_signed() -> gc.SignedConfiguration | None:
    """The newest stored configuration in its wire form."""
    latest = ConfigurationVersion.objects.order_by("-version").first()
    if latest is None:
        return None
    return gc.SignedConfiguration(
        bytes(latest.document), bytes(latest.signature), latest.signer_certificate_pem.encode()
    )


def publish_configuration_task() -> int | None:
    """Scheduled: keep the configuration and the CRL fresh; returns the new version, if any."""
    # Each minute is often enough for a CRL renewed at half of its hour of validity.
    publish_crl()
    stored = publish_configuration()
    return stored.version if stored else None
