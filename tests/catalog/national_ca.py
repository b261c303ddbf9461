"""A second, "national" CA built with ``cryptography`` alone (not ``tunduk.trust``), and the
certificates it issues for the external-CA tests (003 §3.2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from tunduk.catalog.models import Participant


def _usage(*, sign: bool = False, cert_sign: bool = False, commit: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=commit,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class NationalCa:
    """A self-signed root of another organisation than the exchange's CA."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(cls, name: str = "National Certification Centre KG") -> NationalCa:
        key = ec.generate_private_key(ec.SECP384R1())
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KG"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "State registration service"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .sign(key, hashes.SHA384())
        )
        return cls(key, certificate)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(
        self,
        subject: dict[str, str],
        public_key: ec.EllipticCurvePublicKey,
        *,
        authentication: bool,
        valid_from: datetime | None = None,
        valid_days: int = 365,
        is_ca: bool = False,
        fetch_url: str | None = None,
    ) -> x509.Certificate:
        """A leaf (or, with ``is_ca``, a CA) certificate for ``subject`` (short names)."""
        oids = {
            "C": NameOID.COUNTRY_NAME,
            "O": NameOID.ORGANIZATION_NAME,
            "serialNumber": NameOID.SERIAL_NUMBER,
            "CN": NameOID.COMMON_NAME,
        }
        start = valid_from or datetime.now(UTC) - timedelta(minutes=5)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(oids[k], v) for k, v in subject.items()]))
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        )
        if authentication:
            builder = builder.add_extension(_usage(sign=True), critical=True).add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
        else:
            builder = builder.add_extension(_usage(sign=True, commit=True), critical=True)
        if fetch_url is not None:
            builder = builder.add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            AuthorityInformationAccessOID.CA_ISSUERS,
                            x509.UniformResourceIdentifier(f"{fetch_url}/ca.cer"),
                        )
                    ]
                ),
                critical=False,
            ).add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            [x509.UniformResourceIdentifier(f"{fetch_url}/ca.crl")],
                            None,
                            None,
                            None,
                        )
                    ]
                ),
                critical=False,
            )
        return builder.sign(self.key, hashes.SHA384())


def subject_of(participant: Participant, server_code: str | None = None) -> dict[str, str]:
    """The subject convention of docs/trust.md for a participant (or one of its gateways)."""
    return {
        "C": participant.instance,
        "O": participant.member_class,
        "serialNumber": f"{participant.member_class}/{participant.member_code}",
        "CN": server_code or participant.member_code,
    }


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)
