"""RFC 3161 client: requesting tokens over HTTP and verifying them strictly."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.journal._errors import JournalError
from tunduk.journal.timestamp import (
    TimestampCheck,
    TimestampError,
    request_timestamp,
    verify_timestamp,
)
from tunduk.trust import CertificateAuthority
from tunduk.trust.tsa import TimeStampAuthority, TsaEku, build_request, serve_tsa

DATA = b"tunduk.example/registry\n17\nq7C9CQyhxKdFjDmEV1dK2qWJoZ3gYyGc+Ww2Hk2yZ+8=\n"


@pytest.fixture(scope="module")
def authority() -> TimeStampAuthority:
    return TimeStampAuthority.create()


@pytest.fixture(scope="module")
def roots(authority) -> list[bytes]:
    return [authority.root_pem]


@pytest.fixture(scope="module")
def tsa_url(authority):
    server, url = serve_tsa(authority)
    yield url
    server.shutdown()
    server.server_close()


def failed_check(token: bytes, data: bytes = DATA, **options) -> TimestampCheck:
    """Return which check rejects ``token`` (the test fails if it verifies)."""
    with pytest.raises(TimestampError) as raised:
        verify_timestamp(token, data, **options)
    assert str(raised.value).startswith(f"{raised.value.check} check failed: ")
    return raised.value.check


def test_request_timestamp_over_http_returns_verifiable_reply(tsa_url, roots):
    """A token fetched from a TSA on 127.0.0.1 verifies and dates the data to now."""
    before = datetime.now(UTC).replace(microsecond=0)

    token = request_timestamp(tsa_url, DATA, roots=roots)

    gen_time = verify_timestamp(token, DATA, roots=roots)
    assert before - timedelta(seconds=1) <= gen_time <= datetime.now(UTC)
    assert tsp.TimeStampResp.load(token)["status"]["status"].native == "granted"


def test_request_timestamp_without_roots_still_checks_content(tsa_url, roots):
    """Without roots the reply is checked for status, imprint, nonce and EKU."""
    token = request_timestamp(tsa_url, DATA)

    verify_timestamp(token, DATA, roots=roots)


def test_request_timestamp_reports_unreachable_tsa():
    """A TSA that does not answer raises a transport error, not a socket error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(TimestampError) as raised:
        request_timestamp(f"http://127.0.0.1:{port}/", DATA, timeout=2)
    assert raised.value.check is TimestampCheck.TRANSPORT


def test_request_timestamp_refuses_non_http_urls():
    """Only http and https TSA URLs are used (no file:// surprises)."""
    with pytest.raises(ValueError, match="http or https"):
        request_timestamp("file:///etc/passwd", DATA)


def test_bare_timestamp_token_is_accepted(authority, roots):
    """The ContentInfo alone (without the TimeStampResp status) verifies too."""
    token = tsp.TimeStampResp.load(authority.timestamp(DATA))["time_stamp_token"].dump()

    assert verify_timestamp(token, DATA, roots=roots)


def test_sha512_token_is_checked_with_its_own_algorithm(authority, roots):
    """The imprint is recomputed with the hash the token names."""
    token = authority.timestamp(DATA, hash_name="sha512")

    verify_timestamp(token, DATA, roots=roots)
    assert failed_check(token, DATA + b"x", roots=roots) is TimestampCheck.IMPRINT


def test_token_for_another_message_is_rejected(authority, roots):
    """A genuine token over other bytes fails the imprint check."""
    token = authority.timestamp(b"some other checkpoint")

    assert failed_check(token, roots=roots) is TimestampCheck.IMPRINT


def test_wrong_nonce_is_rejected(authority, roots):
    """A token whose nonce differs from the one requested fails the nonce check."""
    token = authority.timestamp(DATA, nonce=1111)

    assert verify_timestamp(token, DATA, roots=roots, nonce=1111)
    assert failed_check(token, roots=roots, nonce=2222) is TimestampCheck.NONCE


def test_token_from_untrusted_tsa_is_rejected(roots):
    """A valid token from a TSA under another root fails the certificate chain check."""
    stranger = TimeStampAuthority.create(name="Stranger TSA")

    token = stranger.timestamp(DATA)

    assert failed_check(token, roots=roots) is TimestampCheck.CERTIFICATE_CHAIN
    assert verify_timestamp(token, DATA, roots=[stranger.root_pem])


def test_roots_may_be_der_or_a_pem_bundle(authority, roots):
    """Trusted roots can be given as DER, or as one PEM file holding several."""
    stranger = TimeStampAuthority.create(name="Stranger TSA")
    token = authority.timestamp(DATA)

    verify_timestamp(token, DATA, roots=[authority.root_certificate.public_bytes(Encoding.DER)])
    verify_timestamp(token, DATA, roots=[stranger.root_pem + authority.root_pem])


@pytest.mark.parametrize("eku", [TsaEku.NON_CRITICAL, TsaEku.ABSENT])
def test_tsa_certificate_without_critical_eku_is_rejected(eku):
    """A TSA certificate lacking a critical timeStamping EKU fails the EKU check."""
    bad = TimeStampAuthority.create(eku=eku)

    token = bad.timestamp(DATA)

    assert failed_check(token, roots=[bad.root_pem]) is TimestampCheck.EKU


def test_truncated_token_is_rejected(authority, roots):
    """A token cut short fails the format check."""
    token = authority.timestamp(DATA)

    assert failed_check(token[:-10], roots=roots) is TimestampCheck.FORMAT


def test_garbage_token_is_rejected(roots):
    """Bytes that are no token at all fail the format check."""
    assert failed_check(b"\x00garbage" * 20, roots=roots) is TimestampCheck.FORMAT
    assert failed_check(b"", roots=roots) is TimestampCheck.FORMAT


def test_token_altered_after_signing_is_rejected(authority, roots):
    """Changing the signed TSTInfo (here its serial number) fails the signature check."""
    response = tsp.TimeStampResp.load(authority.timestamp(DATA))
    info = response["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    info["serial_number"] = info["serial_number"].native + 1

    assert failed_check(response.dump(force=True), roots=roots) is TimestampCheck.SIGNATURE


def test_rejection_reply_fails_the_status_check(authority, roots):
    """A TSA rejection (here for MD5) fails the status check and quotes the reason."""
    reply = authority.respond(build_request(DATA, hash_name="md5"))

    with pytest.raises(TimestampError, match="rejection: hash algorithm md5") as raised:
        verify_timestamp(reply, DATA, roots=roots)
    assert raised.value.check is TimestampCheck.STATUS


def test_token_is_checked_at_its_own_time(roots):
    """A certificate that had expired by genTime fails the certificate chain check."""
    ca = CertificateAuthority.create()
    issued = TimeStampAuthority.create(ca=ca)
    late = TimeStampAuthority(
        certificate=issued.certificate,
        key=issued.key,
        chain=[ca.certificate],
        clock=lambda: datetime.now(UTC) + timedelta(days=20 * 365),
    )

    token = late.timestamp(DATA)

    assert failed_check(token, roots=[ca.certificate_pem]) is TimestampCheck.CERTIFICATE_CHAIN


def test_timestamp_errors_are_journal_errors():
    """Callers can catch every journal failure, time-stamps included, as JournalError."""
    assert issubclass(TimestampError, JournalError)
