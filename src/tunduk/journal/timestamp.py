"""RFC 3161 time-stamps for journal checkpoints: request them and verify them.

:func:`request_timestamp` asks a time-stamping authority (TSA) over HTTP for a token
over some bytes and returns the DER **TimeStampResp** the TSA sent (status plus
token; ``openssl ts -verify -in`` reads it as is). :func:`verify_timestamp` checks such
a response - or a bare TimeStampToken (the CMS ContentInfo) - against the bytes and a
set of trusted root certificates and returns the time the TSA vouches for.

Every failure raises :class:`TimestampError`, whose :attr:`~TimestampError.check` says
which check failed::

    JournalError
     └── TimestampError        format, status, imprint, nonce, certificate chain,
                               EKU, signature, transport

Parsing and the CMS signature check are done by ``rfc3161-client``; the chain and EKU
checks are repeated here first so that a failure names its cause precisely.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import ExtendedKeyUsageOID
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from tunduk.journal._errors import JournalError

__all__ = [
    "TIMESTAMP_QUERY",
    "TIMESTAMP_REPLY",
    "TimestampCheck",
    "TimestampError",
    "request_timestamp",
    "verify_timestamp",
]

TIMESTAMP_QUERY = "application/timestamp-query"
"""Media type of an RFC 3161 request (RFC 3161 §3.4)."""

TIMESTAMP_REPLY = "application/timestamp-reply"
"""Media type of an RFC 3161 response (RFC 3161 §3.4)."""

# A TimeStampResp with a certificate chain is a few kilobytes; refuse to buffer more.
_MAX_RESPONSE_SIZE = 1024 * 1024
# Deeper chains than this are not used by any real TSA and would only cost time.
_MAX_CHAIN_DEPTH = 8

_IMPRINT_HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}


class TimestampCheck(StrEnum):
    """The checks a time-stamp goes through; a :class:`TimestampError` names one."""

    TRANSPORT = "transport"
    FORMAT = "format"
    STATUS = "status"
    IMPRINT = "imprint"
    NONCE = "nonce"
    CERTIFICATE_CHAIN = "certificate chain"
    EKU = "EKU"
    SIGNATURE = "signature"


class TimestampError(JournalError):
    """A time-stamp could not be obtained or does not verify.

    The message starts with the failed check, e.g. ``"imprint check failed: ..."``.
    """

    def __init__(self, check: TimestampCheck, detail: str) -> None:
        """Record which ``check`` failed and why (``detail``)."""
        super().__init__(f"{check} check failed: {detail}")
        self.check = check
        self.detail = detail


def request_timestamp(
    url: str,
    data: bytes,
    *,
    timeout: float = 10,
    roots: Sequence[bytes] | None = None,
) -> bytes:
    """Obtain an RFC 3161 time-stamp over SHA-256(``data``) from the TSA at ``url``.

    The request carries a random nonce and asks for the TSA certificate. Returns the
    DER TimeStampResp exactly as received, after checking its status, imprint, nonce
    and the TSA certificate's EKU. With ``roots`` (PEM or DER certificates) it is
    also fully verified, signature and certificate chain included, as by
    :func:`verify_timestamp`; without them the signature and chain are left to a
    later :func:`verify_timestamp` call, since there is nothing to anchor trust on.
    """
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"TSA URL must be http or https, not {url!r}")
    request = TimestampRequestBuilder(
        data=data, hash_algorithm=HashAlgorithm.SHA256, nonce=True, cert_req=True
    ).build()
    body = _post(url, request.as_bytes(), timeout)
    response = _parse(body)
    nonce = request.nonce
    if roots is None:
        _check_content(response, data, nonce)
        _check_eku(_signer_certificate(response))
    else:
        _verify(response, data, _load_roots(roots), nonce)
    return body


def verify_timestamp(
    token: bytes,
    data: bytes,
    *,
    roots: Sequence[bytes],
    nonce: int | None = None,
) -> datetime:
    """Verify that ``token`` time-stamps ``data`` and return its genTime (aware, UTC).

    ``token`` is a DER TimeStampResp (what :func:`request_timestamp` returns) or a
    bare DER TimeStampToken. ``roots`` are the trusted CA certificates, each PEM (a
    bundle may hold several) or DER. Checks, in order: status granted; the message
    imprint equals the hash of ``data`` under the token's algorithm (SHA-256/384/512);
    the nonce, when given; the TSA certificate chains to a root and every certificate
    was valid at genTime; the TSA certificate has a critical EKU of only
    id-kp-timeStamping; the CMS signature. Raises :class:`TimestampError`.
    """
    response = _parse(token)
    return _verify(response, data, _load_roots(roots), nonce)


def _verify(
    response: TimeStampResponse,
    data: bytes,
    roots: list[x509.Certificate],
    nonce: int | None,
) -> datetime:
    _check_content(response, data, nonce)
    signer = _signer_certificate(response)
    gen_time = response.tst_info.gen_time
    others = [x509.load_der_x509_certificate(der) for der in response.signed_data.certificates]
    _check_chain(signer, [c for c in others if c != signer], roots, gen_time)
    _check_eku(signer)
    try:
        VerifierBuilder(roots=list(roots)).build().verify_message(response, data)
    except VerificationError as error:
        raise TimestampError(TimestampCheck.SIGNATURE, str(error)) from error
    return gen_time


def _post(url: str, body: bytes, timeout: float) -> bytes:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": TIMESTAMP_QUERY, "Accept": TIMESTAMP_REPLY},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            content_type = reply.headers.get_content_type()
            answer: bytes = reply.read(_MAX_RESPONSE_SIZE + 1)
    except urllib.error.HTTPError as error:
        detail = f"TSA at {url} answered HTTP {error.code} {error.reason}"
        raise TimestampError(TimestampCheck.TRANSPORT, detail) from error
    except (urllib.error.URLError, OSError) as error:
        detail = f"could not reach the TSA at {url}: {error}"
        raise TimestampError(TimestampCheck.TRANSPORT, detail) from error
    if content_type != TIMESTAMP_REPLY:
        detail = f"TSA at {url} answered {content_type}, expected {TIMESTAMP_REPLY}"
        raise TimestampError(TimestampCheck.TRANSPORT, detail)
    if len(answer) > _MAX_RESPONSE_SIZE:
        raise TimestampError(TimestampCheck.TRANSPORT, f"TSA answer exceeds {_MAX_RESPONSE_SIZE}")
    return answer


def _parse(token: bytes) -> TimeStampResponse:
    """Parse a TimeStampResp, or a bare TimeStampToken wrapped as a granted one."""
    try:
        return decode_timestamp_response(token)
    except ValueError:
        pass
    try:
        return decode_timestamp_response(_wrap_token(token))
    except ValueError:
        detail = "not a DER TimeStampResp or TimeStampToken (truncated or corrupt?)"
        raise TimestampError(TimestampCheck.FORMAT, detail) from None


def _wrap_token(token: bytes) -> bytes:
    """Wrap a TimeStampToken as ``TimeStampResp { status granted, token }``."""
    granted = b"\x30\x03\x02\x01\x00"
    return b"\x30" + _der_length(len(granted) + len(token)) + granted + token


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _check_content(response: TimeStampResponse, data: bytes, nonce: int | None) -> None:
    """Check status, message imprint and nonce: what needs no certificate."""
    if response.status != PKIStatus.GRANTED:
        status = _status_name(response.status)
        reason = "; ".join(response.status_string) or "no reason given"
        raise TimestampError(TimestampCheck.STATUS, f"TSA answered {status}: {reason}")
    try:
        imprint = response.tst_info.message_imprint
    except ValueError as error:
        raise TimestampError(TimestampCheck.FORMAT, f"no TSTInfo in token: {error}") from error
    hash_name = _IMPRINT_HASHES.get(imprint.hash_algorithm.dotted_string)
    if hash_name is None:
        detail = f"unsupported hash algorithm {imprint.hash_algorithm.dotted_string}"
        raise TimestampError(TimestampCheck.IMPRINT, detail)
    if imprint.message != hashlib.new(hash_name, data).digest():
        detail = f"the token time-stamps another message (its {hash_name} differs)"
        raise TimestampError(TimestampCheck.IMPRINT, detail)
    if nonce is not None and response.tst_info.nonce != nonce:
        detail = f"token nonce {response.tst_info.nonce} is not the requested {nonce}"
        raise TimestampError(TimestampCheck.NONCE, detail)


def _status_name(status: int) -> str:
    try:
        return PKIStatus(status).name.lower()
    except ValueError:
        return f"unknown status {status}"


def _signer_certificate(response: TimeStampResponse) -> x509.Certificate:
    """Return the embedded certificate named by the token's single SignerInfo."""
    signer_infos = list(response.signed_data.signer_infos)
    if len(signer_infos) != 1:
        detail = f"expected one SignerInfo, the token has {len(signer_infos)}"
        raise TimestampError(TimestampCheck.SIGNATURE, detail)
    signer = signer_infos[0]
    for der in response.signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if (
            certificate.issuer == signer.issuer
            and certificate.serial_number == signer.serial_number
        ):
            return certificate
    detail = "the token does not carry the TSA certificate (was certReq set?)"
    raise TimestampError(TimestampCheck.CERTIFICATE_CHAIN, detail)


def _check_chain(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    roots: list[x509.Certificate],
    at: datetime,
) -> None:
    """Check that ``leaf`` chains to one of ``roots``, every link valid at ``at``."""
    current = leaf
    for _ in range(_MAX_CHAIN_DEPTH):
        _check_validity(current, at)
        if current in roots:
            return
        root = next((r for r in roots if _issued_by(current, r)), None)
        if root is not None:
            _check_validity(root, at)
            return
        issuer = next(
            (c for c in intermediates if c != current and _is_ca(c) and _issued_by(current, c)),
            None,
        )
        if issuer is None:
            subject = leaf.subject.rfc4514_string()
            detail = f"the TSA certificate {subject!r} is not issued under any trusted root"
            raise TimestampError(TimestampCheck.CERTIFICATE_CHAIN, detail)
        current = issuer
    detail = f"no trusted root within {_MAX_CHAIN_DEPTH} certificates"
    raise TimestampError(TimestampCheck.CERTIFICATE_CHAIN, detail)


def _check_validity(certificate: x509.Certificate, at: datetime) -> None:
    if not certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
        subject = certificate.subject.rfc4514_string()
        detail = f"certificate {subject!r} was not valid at the time-stamp's time {at}"
        raise TimestampError(TimestampCheck.CERTIFICATE_CHAIN, detail)


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return constraints.value.ca


def _check_eku(certificate: x509.Certificate) -> None:
    """RFC 3161 §2.3: one critical extendedKeyUsage with only id-kp-timeStamping."""
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        detail = "the TSA certificate has no extendedKeyUsage extension"
        raise TimestampError(TimestampCheck.EKU, detail) from None
    if not eku.critical:
        detail = "the TSA certificate's extendedKeyUsage is not marked critical"
        raise TimestampError(TimestampCheck.EKU, detail)
    if list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        detail = "the TSA certificate's extendedKeyUsage is not exactly id-kp-timeStamping"
        raise TimestampError(TimestampCheck.EKU, detail)


def _load_roots(roots: Sequence[bytes]) -> list[x509.Certificate]:
    """Load trusted roots given as PEM (bundles allowed) or DER certificates."""
    loaded: list[x509.Certificate] = []
    for blob in roots:
        if b"-----BEGIN" in blob:
            loaded.extend(x509.load_pem_x509_certificates(blob))
        else:
            loaded.append(x509.load_der_x509_certificate(blob))
    if not loaded:
        raise ValueError("verify_timestamp needs at least one trusted root certificate")
    return loaded
