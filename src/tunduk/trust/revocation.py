"""Revocation for the development CA: a list of revoked serials and the CRL built from it.

:class:`RevocationList` lives in memory beside the CA (``CertificateAuthority.revocations``)
and round-trips through JSON; :func:`build_crl` turns it into a signed X.509 v2 CRL that
``openssl crl -verify`` accepts; :func:`is_revoked` answers for one certificate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography import x509

if TYPE_CHECKING:  # ca.py imports this module; only the type is needed here.
    from tunduk.trust.ca import CertificateAuthority

JSON_VERSION = 1

# Reasons that never appear in a full CRL entry: "remove from CRL" belongs to delta CRLs
# and the "unused" bits are not reasons (RFC 5280 §5.3.1).
_REFUSED_REASONS = frozenset({x509.ReasonFlags.remove_from_crl})


@dataclass(frozen=True)
class RevokedCertificate:
    """One revocation: which serial, why, and from when."""

    serial: int
    reason: x509.ReasonFlags
    revoked_at: datetime

    def to_json(self) -> dict[str, str]:
        """The entry as JSON-ready data (the serial in hex: it can exceed 2**53)."""
        return {
            "serial": format(self.serial, "x"),
            "reason": self.reason.value,
            "revoked_at": self.revoked_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RevokedCertificate:
        """Read an entry written by :meth:`to_json`."""
        return cls(
            serial=int(str(data["serial"]), 16),
            reason=x509.ReasonFlags(data["reason"]),
            revoked_at=_aware(datetime.fromisoformat(str(data["revoked_at"]))),
        )


@dataclass
class RevocationList:
    """The serials a CA has revoked, in memory; serialisable with :meth:`to_json`."""

    _entries: dict[int, RevokedCertificate] = field(default_factory=dict)

    def revoke(
        self,
        serial: int,
        reason: x509.ReasonFlags = x509.ReasonFlags.unspecified,
        when: datetime | None = None,
    ) -> RevokedCertificate:
        """Record ``serial`` as revoked for ``reason`` from ``when`` (default now).

        Revoking again is allowed only to replace a ``certificate_hold``; otherwise a
        ``ValueError`` says when and why it was revoked.
        """
        if reason in _REFUSED_REASONS:
            raise ValueError(f"reason {reason.value} is only for delta CRLs; pick another")
        current = self._entries.get(serial)
        if current is not None and current.reason is not x509.ReasonFlags.certificate_hold:
            raise ValueError(
                f"serial {serial:x} is already revoked ({current.reason.value}, "
                f"{current.revoked_at.isoformat()})"
            )
        entry = RevokedCertificate(serial, reason, _aware(when or datetime.now(UTC)))
        self._entries[serial] = entry
        return entry

    def release_hold(self, serial: int) -> None:
        """Lift a ``certificate_hold``; other revocations are final."""
        current = self._entries.get(serial)
        if current is None or current.reason is not x509.ReasonFlags.certificate_hold:
            raise ValueError(f"serial {serial:x} is not on hold")
        del self._entries[serial]

    def get(self, serial: int) -> RevokedCertificate | None:
        """The entry for ``serial``, or ``None`` if it is not revoked."""
        return self._entries.get(serial)

    def __contains__(self, serial: object) -> bool:
        return serial in self._entries

    def __iter__(self) -> Iterator[RevokedCertificate]:
        return iter(sorted(self._entries.values(), key=lambda entry: entry.serial))

    def __len__(self) -> int:
        return len(self._entries)

    def to_json(self) -> str:
        """Serialise as JSON: ``{"version": 1, "revoked": [{serial, reason, revoked_at}]}``."""
        payload = {"version": JSON_VERSION, "revoked": [entry.to_json() for entry in self]}
        return json.dumps(payload, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> RevocationList:
        """Read a list written by :meth:`to_json`."""
        payload = json.loads(text)
        if payload.get("version") != JSON_VERSION:
            raise ValueError(f"unsupported revocation list version {payload.get('version')!r}")
        entries = (RevokedCertificate.from_json(item) for item in payload["revoked"])
        return cls({entry.serial: entry for entry in entries})


def build_crl(
    ca: CertificateAuthority,
    revoked: RevocationList | Iterable[RevokedCertificate] | None = None,
    next_update_hours: int = 24,
    *,
    now: datetime | None = None,
    crl_number: int | None = None,
) -> x509.CertificateRevocationList:
    """Sign a v2 CRL listing ``revoked`` (default: the CA's own list).

    The CRL carries the authority key identifier and a CRL number (default: the
    issue time in seconds, which only grows); ``unspecified`` reasons are left out as
    RFC 5280 §5.3.1 recommends.
    """
    from tunduk.trust.ca import signing_hash

    entries = ca.revocations if revoked is None else revoked
    this_update = _aware(now or datetime.now(UTC))
    issuer_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(this_update)
        .next_update(this_update + timedelta(hours=next_update_hours))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski.value),
            critical=False,
        )
        .add_extension(
            x509.CRLNumber(int(this_update.timestamp()) if crl_number is None else crl_number),
            critical=False,
        )
    )
    for entry in entries:
        builder = builder.add_revoked_certificate(_revoked_entry(entry))
    return builder.sign(ca.key, signing_hash(ca.key))


def is_revoked(
    certificate: x509.Certificate,
    crl: x509.CertificateRevocationList,
    *,
    issuer: x509.Certificate | None = None,
    now: datetime | None = None,
) -> bool:
    """Whether ``crl`` lists ``certificate``.

    The CRL must come from the certificate's issuer (``ValueError`` otherwise: a foreign
    CRL says nothing). With ``issuer`` the CRL's signature is checked too; with ``now``
    a CRL not current at ``now`` (issued later, or past its nextUpdate) is refused too,
    since a stale CRL misses the newest revocations.
    """
    if crl.issuer != certificate.issuer:
        raise ValueError(
            f"the CRL is issued by {crl.issuer.rfc4514_string()}, the certificate by "
            f"{certificate.issuer.rfc4514_string()}; fetch the issuer's CRL"
        )
    if issuer is not None and not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]  # any key type; a CA's key signs
        raise ValueError("the CRL's signature does not verify with the issuer's key")
    if now is not None:
        _check_current(crl, _aware(now))
    return crl.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None


def _check_current(crl: x509.CertificateRevocationList, now: datetime) -> None:
    next_update = crl.next_update_utc
    if crl.last_update_utc > now or next_update is None or next_update <= now:
        until = "no nextUpdate" if next_update is None else f"nextUpdate {next_update.isoformat()}"
        raise ValueError(
            f"the CRL (thisUpdate {crl.last_update_utc.isoformat()}, {until}) is not current at "
            f"{now.isoformat()}; fetch a fresh one"
        )


def _revoked_entry(entry: RevokedCertificate) -> x509.RevokedCertificate:
    builder = (
        x509.RevokedCertificateBuilder()
        .serial_number(entry.serial)
        .revocation_date(entry.revoked_at)
    )
    if entry.reason is not x509.ReasonFlags.unspecified:
        builder = builder.add_extension(x509.CRLReason(entry.reason), critical=False)
    return builder.build()


def _aware(moment: datetime) -> datetime:
    """Treat naive datetimes as UTC so comparisons and ISO strings are unambiguous."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
