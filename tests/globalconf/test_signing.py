"""Signing and verifying the global configuration against a configuration anchor."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from tunduk.globalconf import (
    ConfigurationAnchor,
    ConfigurationFormatError,
    ExpiredError,
    GlobalConfiguration,
    InstanceMismatchError,
    SignatureError,
    SignedConfiguration,
    VersionRollbackError,
    encode,
    sign,
    verify,
)
from tunduk.trust.ca import (
    CertificateAuthority,
    KeyType,
    certificate_to_pem,
    common_name,
    generate_key,
)

from .conftest import NOW, Signer

MakeConf = Callable[..., GlobalConfiguration]
MakeSigner = Callable[..., Signer]


def test_sign_and_verify(make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor) -> None:
    """A configuration signed by an anchored certificate verifies and decodes."""
    conf = make_conf()
    signed = signer.sign(conf)
    assert signed.document == encode(conf)
    assert verify(signed, anchor, now=NOW) == conf


@pytest.mark.parametrize("key_type", [KeyType.EC_P384, KeyType.RSA_3072])
def test_p384_and_rsa_pss_signers(
    make_conf: MakeConf, make_signer: MakeSigner, key_type: KeyType
) -> None:
    """P-384 (SHA-384) and RSA-PSS (SHA-256) signer keys work as well as P-256."""
    other = make_signer(key_type)
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(other.certificate)])
    assert verify(other.sign(make_conf()), anchor, now=NOW).version == 1


def test_envelope_round_trip(make_conf: MakeConf, signer: Signer) -> None:
    """The wire envelope carries document, signature and certificate unchanged."""
    signed = signer.sign(make_conf())
    envelope = json.loads(signed.to_bytes())
    assert set(envelope) == {"format", "document", "signature", "certificate"}
    assert envelope["format"] == "tunduk-globalconf-signed/1"
    assert base64.b64decode(envelope["document"]) == signed.document
    assert SignedConfiguration.from_bytes(signed.to_bytes()) == signed


def test_envelope_with_bad_base64_names_the_field(make_conf: MakeConf, signer: Signer) -> None:
    """A signature that is not base64 is reported as envelope.signature."""
    envelope = json.loads(signer.sign(make_conf()).to_bytes())
    envelope["signature"] = "***"
    with pytest.raises(ConfigurationFormatError, match=r"^envelope\.signature: is not base64"):
        SignedConfiguration.from_bytes(json.dumps(envelope).encode())


def test_tampered_document_is_refused(
    make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor
) -> None:
    """Changing one byte of the signed document breaks the signature."""
    signed = signer.sign(make_conf())
    tampered = replace(signed, document=signed.document.replace(b"ss1.gov.kg", b"ss1.evil.kg"))
    with pytest.raises(SignatureError, match=r"signature does not verify.*altered"):
        verify(tampered, anchor, now=NOW)


def test_tampered_signature_is_refused(
    make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor
) -> None:
    """A signature from another document does not verify this one."""
    signed = signer.sign(make_conf())
    other = signer.sign(make_conf(version=2))
    with pytest.raises(SignatureError, match="signature does not verify"):
        verify(replace(signed, signature=other.signature), anchor, now=NOW)


def test_signer_certificate_with_a_corrupted_version_is_a_signature_error(
    make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor
) -> None:
    """A signer PEM whose X.509 version byte was changed is refused as such, not a crash."""
    signed = signer.sign(make_conf())
    pem = signed.signer_certificate_pem.decode()
    der = bytearray(base64.b64decode("".join(pem.splitlines()[1:-1])))
    version = der.index(bytes.fromhex("a003020102"))  # [0] EXPLICIT INTEGER 2 (v3)
    der[version + 4] = 0x05
    body = base64.encodebytes(bytes(der)).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    corrupted = "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----", ""])
    with pytest.raises(SignatureError, match=r"not a PEM X\.509 certificate"):
        verify(replace(signed, signer_certificate_pem=corrupted.encode()), anchor, now=NOW)


def test_signer_not_in_anchor_is_refused(
    make_conf: MakeConf, make_signer: MakeSigner, anchor: ConfigurationAnchor
) -> None:
    """A valid signature by a certificate the anchor does not hold is refused."""
    stranger = make_signer()
    with pytest.raises(SignatureError, match="is not in the configuration anchor of instance KG"):
        verify(stranger.sign(make_conf()), anchor, now=NOW)


@pytest.mark.parametrize("signer_is_the_ca", [False, True])
def test_signer_from_a_participant_ca_is_refused_even_when_anchored(
    make_conf: MakeConf, ca: CertificateAuthority, signer_is_the_ca: bool
) -> None:
    """Issue 7 (3): a signer issued by (or being) a CA the configuration approves is refused."""
    key, certificate = ca.key, ca.certificate
    if not signer_is_the_ca:
        key = generate_key()
        certificate = ca.issue(common_name("A participant"), key.public_key(), clock=lambda: NOW)
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(certificate)])
    forged = sign(encode(make_conf()), key, certificate)
    with pytest.raises(SignatureError, match="a CA that certifies participants"):
        verify(forged, anchor, now=NOW)


def test_expired_signer_certificate_is_refused(
    make_conf: MakeConf, make_signer: MakeSigner
) -> None:
    """A signer certificate that has expired at ``now`` no longer vouches for anything."""
    old = make_signer(validity=timedelta(days=1), issued_at=NOW - timedelta(days=2))
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(old.certificate)])
    with pytest.raises(SignatureError, match=r"valid from .* until 2025-06-01T09:30:00Z, not at"):
        verify(old.sign(make_conf()), anchor, now=NOW)


def test_expired_configuration_is_refused(
    make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor
) -> None:
    """At or after expires_at the configuration is refused, saying when it expired."""
    signed = signer.sign(make_conf())
    assert verify(signed, anchor, now=NOW + timedelta(minutes=9, seconds=59))
    with pytest.raises(ExpiredError, match="KG version 1 expired at 2025-06-02T09:40:00Z") as e:
        verify(signed, anchor, now=NOW + timedelta(minutes=10))
    assert e.value.expires_at == NOW + timedelta(minutes=10)


def test_wrong_instance_is_refused(make_conf: MakeConf, signer: Signer) -> None:
    """A configuration of another instance is refused even when correctly signed."""
    anchor = ConfigurationAnchor("KG-test", [certificate_to_pem(signer.certificate)])
    with pytest.raises(InstanceMismatchError, match="instance 'KG', the anchor for 'KG-test'"):
        verify(signer.sign(make_conf()), anchor, now=NOW)


def test_version_rollback_is_refused(
    make_conf: MakeConf, signer: Signer, anchor: ConfigurationAnchor
) -> None:
    """A version lower than the last accepted one is refused; the same one is accepted."""
    signed = signer.sign(make_conf(version=6))
    assert verify(signed, anchor, now=NOW, last_version=6).version == 6
    with pytest.raises(VersionRollbackError, match="version 6 is older than version 7"):
        verify(signed, anchor, now=NOW, last_version=7)


def test_sign_refuses_a_key_that_does_not_match(
    make_conf: MakeConf, signer: Signer, make_signer: MakeSigner
) -> None:
    """Signing with a key whose certificate is another one fails loudly."""
    with pytest.raises(SignatureError, match="does not match the signer certificate"):
        sign(encode(make_conf()), make_signer().key, signer.certificate)


def test_sign_refuses_an_invalid_document(signer: Signer) -> None:
    """Central cannot sign bytes that are not a valid configuration."""
    with pytest.raises(ConfigurationFormatError, match="document: not JSON"):
        sign(b"not json", signer.key, signer.certificate)


def test_anchor_round_trip_and_validation(signer: Signer) -> None:
    """The anchor file reads back equal; an anchor without certificates is refused."""
    anchor = ConfigurationAnchor("KG", [certificate_to_pem(signer.certificate)])
    assert ConfigurationAnchor.from_bytes(anchor.to_bytes()) == anchor
    with pytest.raises(ConfigurationFormatError, match=r"anchor\.certificates: must not be empty"):
        ConfigurationAnchor("KG", [])
    with pytest.raises(ConfigurationFormatError, match=r"anchor\.certificates\[0\]: is not a PEM"):
        ConfigurationAnchor("KG", [b"junk"])
