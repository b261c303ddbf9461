"""The RFC 3161 time-stamping authority: certificates, request checks, token signing."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.x509.oid import ExtendedKeyUsageOID

from tunduk.trust.ca import (
    CertificateAuthority,
    Clock,
    KeyType,
    PrivateKey,
    certificate_to_pem,
    common_name,
    generate_key,
    key_to_pem,
    load_private_key,
    signing_hash,
    utc_now,
)
from tunduk.trust.keyfiles import write_private

DEFAULT_POLICY = "2.25.104466390832855380607201076646545569593"
"""The TSA policy OID of the development TSA (a UUID-derived OID, RFC 9562 §2.25)."""

SUPPORTED_HASHES = {"sha256": 32, "sha384": 48, "sha512": 64}
"""Message-imprint hash algorithms the TSA accepts, with their digest sizes."""

# Requests are a few hundred bytes; anything bigger than this is not a TimeStampReq.
MAX_REQUEST_SIZE = 64 * 1024


class TsaEku(StrEnum):
    """How the TSA certificate carries id-kp-timeStamping (only CRITICAL is valid).

    The other values build deliberately broken certificates so that verifiers can be
    tested against them.
    """

    CRITICAL = "critical"
    NON_CRITICAL = "non-critical"
    ABSENT = "absent"


class TimeStampResp(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    """TimeStampResp whose token is optional, as in RFC 3161 (asn1crypto requires it)."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class RequestRejected(Exception):
    """A request the TSA refuses; carries the RFC 3161 PKIFailureInfo bit name."""

    def __init__(self, fail_info: str, text: str) -> None:
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


class TimeStampAuthority:
    """An RFC 3161 TSA for development and tests that issues real, verifiable tokens.

    ``certificate`` and ``key`` are the TSA's own; ``chain`` lists the certificates
    above it, ending with the root (``chain[-1]``), which verifiers use as trust anchor.
    """

    def __init__(
        self,
        *,
        certificate: x509.Certificate,
        key: PrivateKey,
        chain: Sequence[x509.Certificate] = (),
        policy: str = DEFAULT_POLICY,
        accuracy: timedelta = timedelta(seconds=1),
        clock: Clock = utc_now,
    ) -> None:
        """Use an existing TSA certificate and key (see :meth:`create` to make new ones)."""
        if certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ) != key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ):
            raise ValueError("the TSA key does not match the TSA certificate")
        self.certificate = certificate
        self.key = key
        self.chain = tuple(chain)
        self.policy = policy
        self.accuracy = accuracy
        self.clock = clock
        # The issuing CA when create() made it, so tests can issue more certificates.
        self.ca: CertificateAuthority | None = None
        self._asn1_certificate = asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        )
        self._asn1_chain = [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in self.chain[:-1]
        ]

    @classmethod
    def create(
        cls,
        *,
        ca: CertificateAuthority | None = None,
        name: str = "Tunduk Development TSA",
        key_type: KeyType = KeyType.EC_P256,
        eku: TsaEku = TsaEku.CRITICAL,
        policy: str = DEFAULT_POLICY,
        clock: Clock = utc_now,
    ) -> TimeStampAuthority:
        """Generate a TSA key and certificate under ``ca`` (a new root CA if omitted)."""
        ca = ca or CertificateAuthority.create(key_type=key_type, clock=clock)
        key = generate_key(key_type)
        extensions: list[tuple[x509.ExtensionType, bool]] = [(_tsa_key_usage(), True)]
        if eku is not TsaEku.ABSENT:
            time_stamping = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])
            extensions.append((time_stamping, eku is TsaEku.CRITICAL))
        certificate = ca.issue(
            common_name(name), key.public_key(), extensions=extensions, clock=clock
        )
        authority = cls(
            certificate=certificate, key=key, chain=[ca.certificate], policy=policy, clock=clock
        )
        authority.ca = ca
        return authority

    @classmethod
    def from_pem(
        cls, certificate_pem: bytes, key_pem: bytes, chain_pem: bytes = b"", **options: Any
    ) -> TimeStampAuthority:
        """Load a TSA from PEM: its certificate, its key, and the chain up to the root."""
        chain = x509.load_pem_x509_certificates(chain_pem) if chain_pem.strip() else []
        return cls(
            certificate=x509.load_pem_x509_certificate(certificate_pem),
            key=load_private_key(key_pem),
            chain=chain,
            **options,
        )

    @classmethod
    def load_or_create(cls, state_dir: Path) -> TimeStampAuthority:
        """Load the TSA kept in ``state_dir``, creating and saving a new one if absent."""
        if (state_dir / "tsa.pem").exists():
            return cls.from_pem(
                (state_dir / "tsa.pem").read_bytes(),
                (state_dir / "tsa-key.pem").read_bytes(),
                (state_dir / "chain.pem").read_bytes(),
            )
        authority = cls.create()
        authority.save(state_dir)
        return authority

    def save(self, state_dir: Path) -> None:
        """Write tsa.pem, tsa-key.pem (owner-only), chain.pem and root.pem to ``state_dir``.

        The issuing CA, when known, is saved too (ca.pem, ca-key.pem).
        """
        state_dir.mkdir(parents=True, exist_ok=True)
        # The key first: a certificate on disk means its key is there too.
        write_private(state_dir / "tsa-key.pem", key_to_pem(self.key))
        (state_dir / "tsa.pem").write_bytes(certificate_to_pem(self.certificate))
        (state_dir / "chain.pem").write_bytes(b"".join(map(certificate_to_pem, self.chain)))
        (state_dir / "root.pem").write_bytes(self.root_pem)
        if self.ca is not None:
            self.ca.save(state_dir)

    @property
    def root_certificate(self) -> x509.Certificate:
        """The trust anchor a verifier needs: the chain's root, or the TSA cert itself."""
        return self.chain[-1] if self.chain else self.certificate

    @property
    def root_pem(self) -> bytes:
        """:attr:`root_certificate` as PEM."""
        return certificate_to_pem(self.root_certificate)

    def respond(self, request_der: bytes) -> bytes:
        """Answer a DER TimeStampReq with a DER TimeStampResp (granted or rejection)."""
        try:
            request = _parse_request(request_der, self.policy)
        except RequestRejected as rejected:
            return _rejection(rejected.fail_info, rejected.text)
        token = self._token(request)
        status = tsp.PKIStatusInfo({"status": "granted"})
        return bytes(TimeStampResp({"status": status, "time_stamp_token": token}).dump())

    def timestamp(
        self, data: bytes, *, hash_name: str = "sha256", nonce: int | None = None
    ) -> bytes:
        """Time-stamp ``data`` directly (no HTTP): build the request and respond to it."""
        return self.respond(build_request(data, hash_name=hash_name, nonce=nonce))

    def _token(self, request: tsp.TimeStampReq) -> cms.ContentInfo:
        gen_time = self.clock().replace(microsecond=0)
        info: dict[str, Any] = {
            "version": "v1",
            "policy": self.policy,
            "message_imprint": tsp.MessageImprint.load(request["message_imprint"].dump()),
            # 64 random bits: unique in practice and needs no state shared between workers.
            "serial_number": secrets.randbits(64),
            "gen_time": gen_time,
            "accuracy": _accuracy(self.accuracy),
            "tsa": asn1_x509.GeneralName({"directory_name": self._asn1_certificate.subject}),
        }
        if request["nonce"].native is not None:
            info["nonce"] = request["nonce"].native
        tst_info = tsp.TSTInfo(info)
        signed: dict[str, Any] = {
            "version": "v3",
            "digest_algorithms": [{"algorithm": _digest_name(self.key)}],
            "encap_content_info": {"content_type": "tst_info", "content": tst_info},
            "signer_infos": [self._signer_info(tst_info.dump())],
        }
        if request["cert_req"].native:
            certificates = [self._asn1_certificate, *self._asn1_chain]
            signed["certificates"] = [
                cms.CertificateChoices(name="certificate", value=c) for c in certificates
            ]
        return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed)})

    def _signer_info(self, content: bytes) -> cms.SignerInfo:
        certificate = self._asn1_certificate
        digest = _digest_name(self.key)
        ess_cert_id = {
            "cert_hash": hashlib.sha256(certificate.dump()).digest(),
            "issuer_serial": {
                "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                "serial_number": certificate.serial_number,
            },
        }
        attributes = [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [hashlib.new(digest, content).digest()]}
            ),
            cms.CMSAttribute(
                {"type": "signing_certificate_v2", "values": [{"certs": [ess_cert_id]}]}
            ),
        ]
        # The signature covers the DER SET OF attributes (RFC 5652 §5.4); asn1crypto
        # sorts SET OF members on encoding, as DER requires.
        signed_attrs = cms.CMSAttributes(attributes)
        signature, algorithm = _sign(self.key, signed_attrs.dump())
        return cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    name="issuer_and_serial_number",
                    value={
                        "issuer": certificate.issuer,
                        "serial_number": certificate.serial_number,
                    },
                ),
                "digest_algorithm": {"algorithm": digest},
                "signed_attrs": signed_attrs,
                "signature_algorithm": {"algorithm": algorithm},
                "signature": signature,
            }
        )


def build_request(
    data: bytes, *, hash_name: str = "sha256", nonce: int | None = None, cert_req: bool = True
) -> bytes:
    """Return a DER TimeStampReq for ``data`` (any ``hashlib`` name, for tests)."""
    fields: dict[str, Any] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": hash_name},
            "hashed_message": hashlib.new(hash_name, data).digest(),
        },
        "cert_req": cert_req,
    }
    if nonce is not None:
        fields["nonce"] = nonce
    return bytes(tsp.TimeStampReq(fields).dump())


def _parse_request(request_der: bytes, policy: str) -> tsp.TimeStampReq:
    if len(request_der) > MAX_REQUEST_SIZE:
        raise RequestRejected("bad_data_format", "request is too large")
    try:
        request = tsp.TimeStampReq.load(request_der, strict=True)
        request.native  # noqa: B018  # parse every field now, not lazily later
    except (ValueError, TypeError, KeyError):
        raise RequestRejected("bad_data_format", "request is not a DER TimeStampReq") from None
    if request["version"].native != "v1":
        raise RequestRejected("bad_request", "only TimeStampReq version 1 is supported")
    imprint = request["message_imprint"]
    hash_name = imprint["hash_algorithm"]["algorithm"].native
    if hash_name not in SUPPORTED_HASHES:
        supported = ", ".join(SUPPORTED_HASHES)
        raise RequestRejected("bad_alg", f"hash algorithm {hash_name} is not one of {supported}")
    if imprint["hash_algorithm"]["parameters"].native is not None:
        raise RequestRejected("bad_alg", "hash algorithm parameters must be absent or NULL")
    if len(imprint["hashed_message"].native) != SUPPORTED_HASHES[hash_name]:
        raise RequestRejected("bad_data_format", f"the {hash_name} digest has the wrong length")
    requested_policy = request["req_policy"].native
    if requested_policy is not None and requested_policy != policy:
        raise RequestRejected("unaccepted_policy", f"this TSA only issues under policy {policy}")
    if request["extensions"].native:
        raise RequestRejected("unaccepted_extensions", "request extensions are not supported")
    return request


def _rejection(fail_info: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo(
        {"status": "rejection", "status_string": [text], "fail_info": {fail_info}}
    )
    return bytes(TimeStampResp({"status": status}).dump())


def _accuracy(accuracy: timedelta) -> tsp.Accuracy:
    seconds = int(accuracy.total_seconds())
    millis = accuracy.microseconds // 1000
    fields: dict[str, int] = {}
    if seconds:
        fields["seconds"] = seconds
    if millis:
        fields["millis"] = millis
    return tsp.Accuracy(fields or {"millis": 1})


def _digest_name(key: PrivateKey) -> str:
    """The CMS digest algorithm for ``key``: the hash its signatures use."""
    return "sha384" if isinstance(signing_hash(key), hashes.SHA384) else "sha256"


def _sign(key: PrivateKey, data: bytes) -> tuple[bytes, str]:
    """Sign ``data``; return the signature and its asn1crypto algorithm name."""
    digest = signing_hash(key)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(digest)), f"{_digest_name(key)}_ecdsa"
    return key.sign(data, padding.PKCS1v15(), digest), f"{_digest_name(key)}_rsa"


def _tsa_key_usage() -> x509.KeyUsage:
    # RFC 3161 §2.3 leaves key usage open; digitalSignature (plus nonRepudiation, which
    # OpenSSL also accepts) is what a signing-only TSA key should allow.
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


__all__ = [
    "DEFAULT_POLICY",
    "SUPPORTED_HASHES",
    "RequestRejected",
    "TimeStampAuthority",
    "TimeStampResp",
    "TsaEku",
    "build_request",
]
