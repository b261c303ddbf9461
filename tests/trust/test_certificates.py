"""Participant certificates: CSR checks, the two profiles, hashes and revocation."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from tunduk.identifiers import MemberId, ServerId
from tunduk.trust import CertificateAuthority, KeyType
from tunduk.trust.ca import certificate_to_pem, generate_key
from tunduk.trust.certificates import (
    CertificateProfile,
    CsrError,
    CsrErrorCode,
    ExpectedSubject,
    RevocationList,
    SubjectMismatchError,
    build_crl,
    certificate_hash,
    certificate_summary,
    format_name,
    is_revoked,
    issue_from_csr,
    make_csr,
    subject_name,
    validate_csr,
)
from tunduk.trust.csr import MAX_CSR_BYTES

AUTH = CertificateProfile.AUTHENTICATION
SIGN = CertificateProfile.SIGNING
MEMBER = MemberId("KG", "GOV", "70000001")
GATEWAY = ExpectedSubject.for_server(ServerId(MEMBER, "gw1"))
SIGNER = ExpectedSubject.for_member(MEMBER)
P256 = ec.generate_private_key(ec.SECP256R1())
RSA3072 = generate_key(KeyType.RSA_3072)


def openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the openssl command; a missing binary fails the test (it is a requirement)."""
    binary = shutil.which("openssl")
    assert binary is not None, "the openssl command is required by these tests"
    return subprocess.run([binary, *args], capture_output=True, check=False)


def expected_for(profile: CertificateProfile) -> ExpectedSubject:
    return GATEWAY if profile is AUTH else SIGNER


def issue(ca: CertificateAuthority, key, profile: CertificateProfile) -> x509.Certificate:
    expected = expected_for(profile)
    csr = validate_csr(
        make_csr(key, subject_name(expected, profile)), profile=profile, expected=expected
    )
    return issue_from_csr(ca, csr, profile=profile, expected=expected)


def refusal(data: bytes, profile: CertificateProfile = AUTH) -> CsrError:
    with pytest.raises(CsrError) as caught:
        validate_csr(data, profile=profile, expected=expected_for(profile))
    return caught.value


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("Tunduk Test Root CA")


@pytest.fixture
def ca_pem(ca, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.certificate_pem)
    return path


def write_cert(tmp_path: Path, cert: x509.Certificate, name: str = "cert.pem") -> Path:
    path = tmp_path / name
    path.write_bytes(certificate_to_pem(cert))
    return path


@pytest.mark.parametrize("key", [P256, RSA3072], ids=["p256", "rsa3072"])
def test_authentication_certificate_is_a_tls_client_and_server_cert(ca, ca_pem, tmp_path, key):
    """An authentication cert has digitalSignature, server+client auth EKU and CA=false."""
    cert = issue(ca, key, AUTH)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature
    assert usage.value.key_encipherment is isinstance(key, rsa.RSAPrivateKey)
    assert not usage.value.content_commitment
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(eku) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca is False
    path = write_cert(tmp_path, cert)
    for purpose in ("sslserver", "sslclient"):
        result = openssl("verify", "-purpose", purpose, "-CAfile", str(ca_pem), str(path))
        assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize("key", [P256, RSA3072], ids=["p256", "rsa3072"])
def test_signing_certificate_has_non_repudiation_and_no_tls_eku(ca, ca_pem, tmp_path, key):
    """A signing cert has digitalSignature + nonRepudiation, no EKU, and openssl verifies it."""
    cert = issue(ca, key, SIGN)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_encipherment
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    result = openssl("verify", "-CAfile", str(ca_pem), str(write_cert(tmp_path, cert)))
    assert result.returncode == 0, result.stderr.decode()


def test_issued_certificate_copies_subject_and_links_keys(ca):
    """The subject comes from the CSR; SKI/AKI link the cert to its key and the CA."""
    cert = issue(ca, P256, AUTH)
    assert cert.subject == subject_name(GATEWAY, AUTH)
    assert format_name(cert.subject) == "CN=gw1,serialNumber=GOV/70000001,O=GOV,C=KG"
    assert cert.issuer == ca.certificate.subject
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(P256.public_key())
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ca_ski.digest


def test_serial_validity_and_now_are_honoured(ca):
    """issue_from_csr uses the given serial, start time and validity in days."""
    now = datetime(2026, 3, 1, tzinfo=UTC)
    csr = validate_csr(make_csr(P256, subject_name(SIGNER, SIGN)), profile=SIGN, expected=SIGNER)
    cert = issue_from_csr(
        ca, csr, profile=SIGN, expected=SIGNER, serial=4242, valid_days=30, now=now
    )
    assert cert.serial_number == 4242
    assert cert.not_valid_after_utc == now + timedelta(days=30)
    assert cert.not_valid_before_utc <= now


def test_random_serials_differ(ca):
    """Two certificates from the same CSR get different random serials."""
    assert issue(ca, P256, SIGN).serial_number != issue(ca, P256, SIGN).serial_number


def test_der_csr_is_accepted(ca):
    """A DER-encoded request is accepted as well as PEM."""
    der = make_csr(P256, subject_name(SIGNER, SIGN), der=True)
    assert validate_csr(der, profile=SIGN, expected=SIGNER).subject == subject_name(SIGNER, SIGN)


def test_ed25519_is_allowed_for_signing(ca, ca_pem, tmp_path):
    """An Ed25519 key is accepted for a signing certificate and openssl verifies the cert."""
    cert = issue(ca, ed25519.Ed25519PrivateKey.generate(), SIGN)
    assert certificate_summary(cert)["key_type"] == "Ed25519"
    result = openssl("verify", "-CAfile", str(ca_pem), str(write_cert(tmp_path, cert)))
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize("data", [b"", b"garbage", b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"])
def test_garbage_is_malformed(data):
    """Bytes that are not a PEM/DER CSR are refused as malformed, with what to send."""
    error = refusal(data)
    assert error.code is CsrErrorCode.MALFORMED
    assert error.field == "csr"
    assert "BEGIN CERTIFICATE REQUEST" in error.message


def test_tampered_csr_has_bad_signature():
    """A CSR whose subject was altered after signing is refused as bad_signature."""
    der = make_csr(P256, subject_name(GATEWAY, AUTH), der=True)
    tampered = der.replace(b"gw1", b"gw2")
    assert tampered != der
    error = refusal(tampered)
    assert error.code is CsrErrorCode.BAD_SIGNATURE
    assert "generate the request again" in error.message


def test_rsa_2048_is_weak():
    """An RSA-2048 key is refused, naming the size found and the minimum."""
    error = refusal(make_csr(generate_rsa(2048), subject_name(GATEWAY, AUTH)))
    assert error.code is CsrErrorCode.WEAK_KEY
    assert "2048" in error.message and "3072" in error.message


def generate_rsa(bits: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@pytest.mark.parametrize("curve", [ec.SECP192R1(), ec.SECP256K1()], ids=lambda c: c.name)
@pytest.mark.parametrize("profile", [AUTH, SIGN])
def test_unapproved_curves_are_refused(curve, profile):
    """EC curves other than P-256/P-384/P-521 are refused for both profiles."""
    key = ec.generate_private_key(curve)
    error = refusal(make_csr(key, subject_name(expected_for(profile), profile)), profile)
    assert error.code is CsrErrorCode.WEAK_KEY
    assert curve.name in error.message and "P-256" in error.message


@pytest.mark.parametrize("curve", [ec.SECP384R1(), ec.SECP521R1()], ids=lambda c: c.name)
def test_p384_and_p521_are_accepted(curve):
    """P-384 and P-521 keys pass the key check."""
    key = ec.generate_private_key(curve)
    assert validate_csr(make_csr(key, subject_name(GATEWAY, AUTH)), profile=AUTH, expected=GATEWAY)


def test_ed25519_is_refused_for_authentication(ca):
    """Ed25519 is refused for TLS authentication certs, by validate_csr and issue_from_csr."""
    key = ed25519.Ed25519PrivateKey.generate()
    pem = make_csr(key, subject_name(GATEWAY, AUTH))
    error = refusal(pem, AUTH)
    assert error.code is CsrErrorCode.WEAK_KEY
    assert "Ed25519" in error.message and "authentication" in error.message
    with pytest.raises(CsrError):
        issue_from_csr(ca, x509.load_pem_x509_csr(pem), profile=AUTH, expected=GATEWAY)


@pytest.mark.parametrize(
    ("profile", "attribute", "wrong"),
    [
        (AUTH, "CN", "gw9"),
        (AUTH, "C", "KZ"),
        (AUTH, "O", "COM"),
        (AUTH, "serialNumber", "GOV/70000002"),
        (SIGN, "CN", "gw1"),
        (SIGN, "serialNumber", "70000001"),
    ],
)
def test_subject_mismatch_names_the_attribute(profile, attribute, wrong):
    """A subject that differs is refused, naming the attribute, expected and found values."""
    attributes = expected_for(profile).attributes(profile)
    right = attributes[attribute]
    attributes[attribute] = wrong
    error = refusal(make_csr(P256, attributes), profile)
    assert isinstance(error, SubjectMismatchError)
    assert error.code is CsrErrorCode.SUBJECT_MISMATCH
    assert (error.attribute, error.expected, error.found) == (attribute, right, wrong)
    assert error.field == f"subject.{attribute}"
    assert f"{attribute}={right!r}" in error.message and repr(wrong) in error.message


def test_missing_and_repeated_attributes_are_mismatches():
    """A missing serialNumber or a second CN is a subject mismatch."""
    attributes = GATEWAY.attributes(AUTH)
    del attributes["serialNumber"]
    error = refusal(make_csr(P256, attributes))
    assert isinstance(error, SubjectMismatchError) and error.found is None
    assert "found nothing" in error.message
    twice = x509.Name(
        [*subject_name(GATEWAY, AUTH), x509.NameAttribute(x509.NameOID.COMMON_NAME, "gw2")]
    )
    error = refusal(make_csr(P256, twice))
    assert isinstance(error, SubjectMismatchError) and "more than once" in error.message


def test_extra_attributes_are_allowed():
    """Attributes outside the convention (OU, L) do not make a request fail."""
    attributes = {**SIGNER.attributes(SIGN), "OU": "Tax service", "L": "Bishkek"}
    assert validate_csr(make_csr(P256, attributes), profile=SIGN, expected=SIGNER)


def test_issued_subject_is_built_from_the_expected_identity_only(ca):
    """Issue 7 (Low): extra or other subject attributes of a request never reach the certificate."""
    extra = x509.Name(
        [
            *subject_name(SIGNER, SIGN),
            x509.NameAttribute(x509.NameOID.ORGANIZATIONAL_UNIT_NAME, "Ministry of Defence"),
            x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "Another organisation"),
            x509.NameAttribute(x509.NameOID.COMMON_NAME, "gw-of-someone-else"),
            x509.NameAttribute(x509.NameOID.LOCALITY_NAME, "Bishkek"),
        ]
    )
    csr = x509.load_pem_x509_csr(make_csr(P256, extra))
    cert = issue_from_csr(ca, csr, profile=SIGN, expected=SIGNER)
    assert cert.subject == subject_name(SIGNER, SIGN)
    assert format_name(cert.subject) == "CN=70000001,serialNumber=GOV/70000001,O=GOV,C=KG"


def test_issued_subject_follows_the_expected_identity_not_the_request(ca):
    """Issue 7 (Low): a request naming another member still gets the expected identity's subject."""
    other = ExpectedSubject.for_server(ServerId(MemberId("KG", "GOV", "70000099"), "gw9"))
    csr = x509.load_pem_x509_csr(make_csr(P256, subject_name(other, AUTH)))
    cert = issue_from_csr(ca, csr, profile=AUTH, expected=GATEWAY)
    assert cert.subject == subject_name(GATEWAY, AUTH)


def test_oversized_request_is_refused_unparsed():
    """Issue 7 (1): a request larger than the limit is refused as malformed before parsing."""
    pem = make_csr(P256, subject_name(SIGNER, SIGN))
    padded = pem + b"\n" * MAX_CSR_BYTES
    error = refusal(padded, SIGN)
    assert error.code is CsrErrorCode.MALFORMED
    assert str(MAX_CSR_BYTES) in error.message


def test_expected_subject_rules():
    """Authentication needs a server code; the instance must fit the two-letter C."""
    with pytest.raises(ValueError, match="server_code"):
        SIGNER.attributes(AUTH)
    with pytest.raises(ValueError, match="two characters"):
        ExpectedSubject("KG-TEST", "GOV", "1")


def test_revoked_serial_appears_in_a_crl_openssl_accepts(ca_pem, tmp_path):
    """A revoked serial is listed with its reason and `openssl crl -verify` accepts the CRL."""
    ca = CertificateAuthority.create("Revoking CA")
    revoked, kept = issue(ca, P256, AUTH), issue(ca, P256, SIGN)
    when = datetime(2026, 2, 1, 12, tzinfo=UTC)
    ca.revoke(revoked, x509.ReasonFlags.key_compromise, when)
    crl = build_crl(ca)
    entry = crl.get_revoked_certificate_by_serial_number(revoked.serial_number)
    assert entry is not None and entry.revocation_date_utc == when
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason is (
        x509.ReasonFlags.key_compromise
    )
    assert is_revoked(revoked, crl, issuer=ca.certificate)
    assert not is_revoked(kept, crl, issuer=ca.certificate)
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > 0
    ca_path = tmp_path / "revoking-ca.pem"
    ca_path.write_bytes(ca.certificate_pem)
    crl_path = tmp_path / "ca.crl"
    crl_path.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    result = openssl("crl", "-in", str(crl_path), "-noout", "-verify", "-CAfile", str(ca_path))
    assert result.returncode == 0 and b"verify OK" in result.stdout + result.stderr
    chain = tmp_path / "chain.pem"
    chain.write_bytes(ca.certificate_pem + crl.public_bytes(serialization.Encoding.PEM))
    result = openssl(
        "verify", "-crl_check", "-CAfile", str(chain), str(write_cert(tmp_path, revoked))
    )
    assert result.returncode != 0 and b"revoked" in result.stdout + result.stderr


def test_is_revoked_refuses_another_issuers_crl(ca):
    """A CRL from a different CA cannot answer for a certificate (ValueError)."""
    other = CertificateAuthority.create("Other CA")
    with pytest.raises(ValueError, match="issuer"):
        is_revoked(issue(ca, P256, SIGN), build_crl(other))


def test_revocation_list_round_trips_through_json_and_ca_files(tmp_path):
    """The revocation list survives to_json/from_json and CA save/load."""
    ca = CertificateAuthority.create("Saving CA")
    serial = 2**150 + 7  # beyond JSON's safe integers: stored as hex
    ca.revoke(serial, x509.ReasonFlags.superseded, datetime(2026, 1, 2, tzinfo=UTC))
    text = ca.revocations.to_json()
    assert json.loads(text)["revoked"][0]["serial"] == format(serial, "x")
    copy = RevocationList.from_json(text)
    assert list(copy) == list(ca.revocations)
    ca.save(tmp_path)
    assert list(CertificateAuthority.load(tmp_path).revocations) == list(ca.revocations)


def test_revoking_twice_is_refused_but_a_hold_can_be_released():
    """A final revocation cannot be repeated; a certificate_hold can be lifted or finalised."""
    revocations = RevocationList()
    revocations.revoke(1, x509.ReasonFlags.key_compromise)
    with pytest.raises(ValueError, match="already revoked"):
        revocations.revoke(1, x509.ReasonFlags.superseded)
    revocations.revoke(2, x509.ReasonFlags.certificate_hold)
    revocations.release_hold(2)
    assert 2 not in revocations
    revocations.revoke(3, x509.ReasonFlags.certificate_hold)
    revocations.revoke(3, x509.ReasonFlags.key_compromise)
    assert revocations.get(3).reason is x509.ReasonFlags.key_compromise


def test_certificate_hash_matches_openssl(ca, tmp_path):
    """certificate_hash equals `openssl x509 -outform DER | sha256sum`."""
    cert = issue(ca, P256, AUTH)
    der = openssl("x509", "-in", str(write_cert(tmp_path, cert)), "-outform", "DER")
    assert der.returncode == 0, der.stderr.decode()
    sha256sum = shutil.which("sha256sum")
    assert sha256sum is not None, "sha256sum is required by this test"
    digest = subprocess.run([sha256sum], input=der.stdout, capture_output=True, check=True)
    expected = digest.stdout.split()[0].decode()
    assert certificate_hash(cert) == expected == hashlib.sha256(der.stdout).hexdigest()


def test_certificate_summary_describes_the_certificate(ca):
    """The summary shows subject, issuer, serial, validity, hash, key and profile."""
    auth, sign = issue(ca, RSA3072, AUTH), issue(ca, P256, SIGN)
    summary = certificate_summary(auth)
    assert summary["subject"] == "CN=gw1,serialNumber=GOV/70000001,O=GOV,C=KG"
    assert summary["issuer"] == "CN=Tunduk Test Root CA"
    assert summary["serial"] == format(auth.serial_number, "x")
    assert summary["not_before"] == auth.not_valid_before_utc.isoformat()
    assert summary["sha256"] == certificate_hash(auth)
    assert (summary["key_type"], summary["key_size"], summary["profile"]) == (
        "RSA",
        3072,
        "authentication",
    )
    signing = certificate_summary(sign)
    assert (signing["key_type"], signing["profile"]) == ("EC P-256", "signing")
    assert certificate_summary(ca.certificate)["profile"] is None
    json.dumps(summary)


def test_is_revoked_refuses_a_stale_crl(ca):
    """Issue 7 (6): with now=, a CRL past its nextUpdate is refused (it may miss revocations)."""
    issued_at = datetime(2026, 2, 1, 12, tzinfo=UTC)
    crl = build_crl(ca, next_update_hours=1, now=issued_at)
    certificate = issue(ca, P256, SIGN)
    assert not is_revoked(certificate, crl, issuer=ca.certificate, now=issued_at)
    with pytest.raises(ValueError, match="nextUpdate 2026-02-01T13:00:00"):
        is_revoked(certificate, crl, issuer=ca.certificate, now=issued_at + timedelta(hours=2))
