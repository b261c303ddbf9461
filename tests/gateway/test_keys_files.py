"""The gateway's keys: init, load, install-certificate (issue 9 item 1; docs/trust.md)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tunduk.gateway.keys import (
    AUTH_CERT,
    AUTH_KEY,
    COSIGN_KEY,
    JOURNAL_KEY,
    SIGN_CERT,
    SIGN_KEY,
    KeyFileError,
    init_keys,
    install_certificate,
    journal_origin,
    load_keys,
    witness_name,
)
from tunduk.journal import Verifier, open_note, sign_note
from tunduk.journal._keys import ALG_COSIGNATURE_V1, ALG_ED25519
from tunduk.trust.ca import CertificateAuthority, certificate_to_pem
from tunduk.trust.certificates import issue_from_csr
from tunduk.trust.csr import ExpectedSubject, load_csr, make_csr, subject_name, validate_csr
from tunduk.trust.profiles import CertificateProfile

from ._tls_helpers import KeysOnly, issue, server_id


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("Keys Test CA")


@pytest.fixture
def config(tmp_path: Path) -> KeysOnly:
    return KeysOnly(tmp_path / "keys", server_id("70000004", "ss1"))


def test_init_writes_private_keys_owner_only(config: KeysOnly) -> None:
    """Issue 9 item 1: every private key file is created 0600 (trust.keyfiles.write_private)."""
    written = init_keys(config)
    names = {path.name for path in written}
    assert {AUTH_KEY, SIGN_KEY, JOURNAL_KEY, COSIGN_KEY, "auth.csr", "sign.csr"} <= names
    for name in (AUTH_KEY, SIGN_KEY, JOURNAL_KEY, COSIGN_KEY):
        assert stat.S_IMODE((config.keys_dir / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(config.keys_dir.stat().st_mode) & 0o077 == 0


def test_csrs_pass_the_catalogs_checks(config: KeysOnly) -> None:
    """docs/trust.md subject convention: auth CN = server code, sign CN = member code."""
    init_keys(config)
    auth = (config.keys_dir / "auth.csr").read_bytes()
    sign = (config.keys_dir / "sign.csr").read_bytes()
    validate_csr(
        auth,
        profile=CertificateProfile.AUTHENTICATION,
        expected=ExpectedSubject.for_server(config.server),
    )
    validate_csr(
        sign,
        profile=CertificateProfile.SIGNING,
        expected=ExpectedSubject.for_member(config.server.member),
    )


def test_init_refuses_to_overwrite(config: KeysOnly) -> None:
    """A gateway's keys are made once: a second init changes nothing and names the file."""
    init_keys(config)
    before = (config.keys_dir / AUTH_KEY).read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        init_keys(config)
    assert (config.keys_dir / AUTH_KEY).read_bytes() == before


def test_init_refuses_a_planted_symlink(config: KeysOnly, tmp_path: Path) -> None:
    """Attacker: a symlink planted at a key path to catch the key is refused, nothing written."""
    config.keys_dir.mkdir()
    bait = tmp_path / "bait"
    (config.keys_dir / SIGN_KEY).symlink_to(bait)
    with pytest.raises(KeyFileError, match="already exists"):
        init_keys(config)
    assert not bait.exists()
    assert not (config.keys_dir / AUTH_KEY).exists()


def test_journal_keys_are_named_after_the_gateway(config: KeysOnly) -> None:
    """Contract: journal.key is a signed-note signer named by the gateway's identifier."""
    init_keys(config)
    keys = load_keys(config)
    assert keys.journal_signer.name == "KG/GOV/70000004/ss1" == journal_origin(config.server)
    assert keys.journal_signer.alg == ALG_ED25519
    assert keys.cosigner.alg == ALG_COSIGNATURE_V1
    assert keys.cosigner.name == witness_name(config.server)
    vkey = (config.keys_dir / "journal.vkey").read_text().strip()
    note = sign_note("KG/GOV/70000004/ss1\n1\nAAAA\n", keys.journal_signer)
    open_note(note, [Verifier.from_key(vkey)])


def test_origin_escapes_plus() -> None:
    """A note key name may not hold '+', which X-Road identifier parts may: it becomes %2B."""
    name = journal_origin(server_id("A+B", "gw+1"))
    assert "+" not in name and name == "KG/GOV/A%2BB/gw%2B1"


def test_load_names_a_missing_key(config: KeysOnly) -> None:
    """load_keys: a clear error naming the missing file and the command to create it."""
    init_keys(config)
    (config.keys_dir / SIGN_KEY).unlink()
    with pytest.raises(KeyFileError, match=r"sign.key: is missing; run `tunduk gateway init`"):
        load_keys(config)


def test_load_refuses_a_key_others_can_read(config: KeysOnly) -> None:
    """Attacker side: a key file made group/world readable is refused at start."""
    init_keys(config)
    os.chmod(config.keys_dir / JOURNAL_KEY, 0o644)
    with pytest.raises(KeyFileError, match=r"journal.key: is readable by others"):
        load_keys(config)


def test_load_without_certificates(config: KeysOnly) -> None:
    """Before install-certificate the keys load and the certificates are None."""
    init_keys(config)
    keys = load_keys(config)
    assert keys.auth_cert is None and keys.sign_cert is None
    with pytest.raises(KeyFileError, match="no authentication certificate is installed"):
        keys.require_certificates()


def test_install_decides_by_key(config: KeysOnly, ca: CertificateAuthority) -> None:
    """install-certificate FILE: auth or sign is chosen by the public key, not by the name."""
    init_keys(config)
    sign_cert = issue(ca, config, "sign")
    auth_cert = issue(ca, config, "auth")
    assert install_certificate(config, certificate_to_pem(sign_cert)) == config.keys_dir / SIGN_CERT
    chain = certificate_to_pem(auth_cert) + ca.certificate_pem
    assert install_certificate(config, chain) == config.keys_dir / AUTH_CERT
    keys = load_keys(config)
    assert keys.auth_cert == auth_cert and keys.sign_cert == sign_cert
    assert keys.require_certificates() == (auth_cert, sign_cert)


def test_install_refuses_a_certificate_for_another_key(
    config: KeysOnly, ca: CertificateAuthority
) -> None:
    """Attacker: a certificate for a key this gateway does not hold is refused."""
    init_keys(config)
    other = ec.generate_private_key(ec.SECP256R1())
    expected = ExpectedSubject.for_server(config.server)
    csr = load_csr(make_csr(other, subject_name(expected, CertificateProfile.AUTHENTICATION)))
    foreign = issue_from_csr(ca, csr, profile=CertificateProfile.AUTHENTICATION, expected=expected)
    with pytest.raises(KeyFileError, match=r"neither auth.key nor sign.key"):
        install_certificate(config, certificate_to_pem(foreign))
    assert not (config.keys_dir / AUTH_CERT).exists()


def test_install_refuses_another_gateways_identity(
    config: KeysOnly, ca: CertificateAuthority
) -> None:
    """Subject convention: an auth certificate naming another server code is refused."""
    init_keys(config)
    csr = load_csr((config.keys_dir / "auth.csr").read_bytes())
    wrong = ExpectedSubject.for_server(server_id("70000004", "ss9"))
    cert = issue_from_csr(ca, csr, profile=CertificateProfile.AUTHENTICATION, expected=wrong)
    with pytest.raises(KeyFileError, match=r"subject.CN"):
        install_certificate(config, certificate_to_pem(cert))


def test_install_refuses_the_wrong_profile(config: KeysOnly, ca: CertificateAuthority) -> None:
    """The auth key's certificate must be an authentication (TLS) certificate."""
    init_keys(config)
    csr = load_csr((config.keys_dir / "auth.csr").read_bytes())
    expected = ExpectedSubject.for_server(config.server)
    # A signing-profile certificate whose subject follows the auth convention.
    cert = ca.issue(
        subject_name(expected, CertificateProfile.AUTHENTICATION),
        csr.public_key(),  # type: ignore[arg-type]
        extensions=[
            (
                x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                True,
            )
        ],
    )
    with pytest.raises(KeyFileError, match="not the authentication certificate profile"):
        install_certificate(config, certificate_to_pem(cert))


def test_install_refuses_an_expired_certificate(config: KeysOnly, ca: CertificateAuthority) -> None:
    """A certificate not valid now is refused at install time, with its dates."""
    init_keys(config)
    cert = issue(ca, config, "sign")
    later = datetime.now(UTC) + timedelta(days=4000)
    with pytest.raises(KeyFileError, match="not now"):
        install_certificate(config, certificate_to_pem(cert), now=later)


def test_install_refuses_garbage(config: KeysOnly) -> None:
    """Hostile input: bytes that are no certificate, or too many, are refused."""
    init_keys(config)
    with pytest.raises(KeyFileError, match=r"not an X.509 certificate"):
        install_certificate(
            config, b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        )
    with pytest.raises(KeyFileError, match="larger than"):
        install_certificate(config, b"0" * (65 * 1024))


def test_load_refuses_a_swapped_certificate(config: KeysOnly, ca: CertificateAuthority) -> None:
    """A sign.crt copied over auth.crt by hand does not load: it names the file."""
    init_keys(config)
    install_certificate(config, certificate_to_pem(issue(ca, config, "sign")))
    (config.keys_dir / AUTH_CERT).write_bytes((config.keys_dir / SIGN_CERT).read_bytes())
    with pytest.raises(KeyFileError, match=r"auth.crt: holds a certificate for another key"):
        load_keys(config)
