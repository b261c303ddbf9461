"""Checking a peer's certificate against an accepted configuration, in memory only.

A gateway calls this per message (TLS peers, message signers), so an index is built once
when a configuration is accepted and every check is a dictionary lookup plus one
signature verification: no download, no file, no clock other than the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from ._codec import format_timestamp
from ._errors import RevokedCertificateError, UntrustedCertificateError
from ._model import ApprovedCa, GlobalConfiguration


@dataclass(frozen=True)
class _Authority:
    """An approved CA, its parsed certificate, and its revoked serials by value."""

    entry: ApprovedCa
    certificate: x509.Certificate
    revoked: dict[int, datetime]


class CertificateIndex:
    """The approved CAs of one configuration, keyed by subject, with their revocations."""

    def __init__(self, conf: GlobalConfiguration) -> None:
        self._by_subject: dict[bytes, list[_Authority]] = {}
        for entry in conf.approved_cas:
            certificate = x509.load_pem_x509_certificate(entry.certificate_pem.encode("ascii"))
            revoked = {int(item.serial, 16): item.revoked_at for item in entry.revoked}
            authority = _Authority(entry, certificate, revoked)
            self._by_subject.setdefault(certificate.subject.public_bytes(), []).append(authority)

    def issuer_of(self, certificate: x509.Certificate) -> _Authority:
        """The approved CA whose key signed ``certificate`` (a matching name is not enough)."""
        for authority in self._by_subject.get(certificate.issuer.public_bytes(), []):
            try:
                certificate.verify_directly_issued_by(authority.certificate)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return authority
        raise UntrustedCertificateError(
            f"no approved CA issued the certificate {_describe(certificate)}"
            f" (issuer {certificate.issuer.rfc4514_string()})"
        )

    def revoked_at(self, certificate: x509.Certificate, at: datetime | None) -> datetime | None:
        """When its CA revoked ``certificate``, if that counts at ``at``.

        With ``at=None`` (now) any listed revocation counts, even one dated a little
        ahead of this gateway's clock; with a moment, only one at or before it (a
        signature made before the revocation stays checkable).
        """
        return _counts(self.issuer_of(certificate), certificate, at)

    def check(
        self, certificate: x509.Certificate, *, at: datetime | None, now: datetime
    ) -> ApprovedCa:
        """The issuing CA's entry if ``certificate`` is valid and not revoked at ``at`` (or now)."""
        authority = self.issuer_of(certificate)
        moment = now if at is None else at
        if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
            raise UntrustedCertificateError(
                f"the certificate {_describe(certificate)} is valid from"
                f" {format_timestamp(certificate.not_valid_before_utc)} until"
                f" {format_timestamp(certificate.not_valid_after_utc)}, not at"
                f" {format_timestamp(moment)}"
            )
        when = _counts(authority, certificate, at)
        if when is not None:
            raise RevokedCertificateError(
                f"the certificate {_describe(certificate)} was revoked by"
                f" {authority.entry.name} at {format_timestamp(when)}",
                serial=certificate.serial_number,
                revoked_at=when,
            )
        return authority.entry


def _counts(
    authority: _Authority, certificate: x509.Certificate, at: datetime | None
) -> datetime | None:
    when = authority.revoked.get(certificate.serial_number)
    if when is None or (at is not None and at < when):
        return None
    return when


def _describe(certificate: x509.Certificate) -> str:
    return f"{certificate.subject.rfc4514_string()} (serial {certificate.serial_number:x})"
