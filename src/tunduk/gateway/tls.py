"""Mutual TLS between gateways: the contexts, and the check of a peer's certificate.

Identity between gateways is the authentication certificate's SHA-256, listed for each
gateway in the global configuration (X-Road's model), so host names are never checked.
Two layers refuse a bad peer:

1. the TLS handshake (:func:`server_context`, :func:`client_context`): TLS 1.2 or 1.3,
   ECDHE key exchange only, a certificate required from both sides, chained to one of
   the CAs the current configuration approves (the configuration's CAs are the only trust
   roots; the system's are never loaded);
2. :func:`check_peer`, once per connection, with the certificate the peer presented: it
   is valid and not revoked (:meth:`ConfigurationClient.check_certificate`, from memory),
   its hash is listed for a gateway, and that gateway is the expected one (the client's
   member on the provider side, the service's gateway on the client side).

A refusal is a :class:`~tunduk.gateway._errors.GatewayError` with
``Server.ServerProxy.SslAuthenticationFailed`` (the provider refusing a caller, ``side=
"server"``) or ``Server.ClientProxy.SslAuthenticationFailed`` (the client gateway refusing
a provider, ``side="client"``), whose message names the reason: no certificate, not a
certificate, not issued by an approved CA (or not valid now), revoked, not listed, another
member's, another gateway's. :func:`handshake_error` gives the same for a handshake that
OpenSSL refused.

The configuration's CAs change while a gateway runs: :class:`TlsContexts` keeps one
server context whose SNI callback switches every new connection to the context built
for the newest configuration, so a listener never has to be restarted.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway.keys import GatewayKeys
from tunduk.globalconf import (
    ConfigurationClient,
    GlobalConfiguration,
    GlobalConfigurationError,
    RevokedCertificateError,
    UntrustedCertificateError,
)
from tunduk.identifiers import MemberId, ServerId

__all__ = [
    "CIPHERS_TLS12",
    "Side",
    "TlsContexts",
    "check_peer",
    "client_context",
    "handshake_error",
    "peer_certificate",
    "server_context",
]

Side = Literal["client", "server"]
"""Who checks: ``"server"`` the provider's gateway, ``"client"`` the client's gateway."""

CIPHERS_TLS12 = "ECDHE+AESGCM:ECDHE+CHACHA20"
"""TLS 1.2 suites: ECDHE key exchange with an AEAD only (TLS 1.3's suites all qualify)."""


def _ssl_code(side: Side) -> Code:
    return Code.SSL_AUTH_FAILED_CLIENT if side == "client" else Code.SSL_AUTH_FAILED_SERVER


def _outdated_code(side: Side) -> Code:
    return Code.OUTDATED_GLOBALCONF_CLIENT if side == "client" else Code.OUTDATED_GLOBALCONF_SERVER


def _base_context(
    purpose: ssl.Purpose, keys: GatewayKeys, conf: GlobalConfiguration
) -> ssl.SSLContext:
    protocol = (
        ssl.PROTOCOL_TLS_SERVER if purpose is ssl.Purpose.CLIENT_AUTH else ssl.PROTOCOL_TLS_CLIENT
    )
    context = ssl.SSLContext(protocol)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(CIPHERS_TLS12)
    context.options |= ssl.OP_NO_COMPRESSION | ssl.OP_NO_RENEGOTIATION
    context.check_hostname = False  # identity is the certificate's hash (check_peer)
    context.verify_mode = ssl.CERT_REQUIRED
    cadata = "".join(ca.certificate_pem for ca in conf.approved_cas)
    if cadata:
        context.load_verify_locations(cadata=cadata)
    auth_cert, _ = keys.require_certificates()
    with _pem_files(auth_cert, keys) as (certfile, keyfile):
        context.load_cert_chain(certfile, keyfile)
    return context


@contextmanager
def _pem_files(certificate: x509.Certificate, keys: GatewayKeys) -> Iterator[tuple[str, str]]:
    """The certificate and key as paths OpenSSL can read, removed afterwards.

    On Linux they are anonymous memory files (``memfd``): the unencrypted key never
    touches a disk. Elsewhere a private (0700) temporary directory holds them briefly.
    """
    key_pem = keys.auth_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    if hasattr(os, "memfd_create") and Path("/proc/self/fd").is_dir():
        descriptors = [os.memfd_create(name) for name in ("tunduk-cert", "tunduk-key")]
        try:
            for fd, data in zip(descriptors, (cert_pem, key_pem), strict=True):
                os.write(fd, data)
            yield f"/proc/self/fd/{descriptors[0]}", f"/proc/self/fd/{descriptors[1]}"
        finally:
            for fd in descriptors:
                os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="tunduk-tls-") as directory:  # mode 0700
        certfile, keyfile = Path(directory) / "cert.pem", Path(directory) / "key.pem"
        certfile.write_bytes(cert_pem)
        fd = os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key_pem)
        yield str(certfile), str(keyfile)


def server_context(keys: GatewayKeys, conf: GlobalConfiguration) -> ssl.SSLContext:
    """The provider side's context: presents ``auth.crt``, requires a client certificate
    issued by one of ``conf``'s approved CAs."""
    return _base_context(ssl.Purpose.CLIENT_AUTH, keys, conf)


def client_context(keys: GatewayKeys, conf: GlobalConfiguration) -> ssl.SSLContext:
    """The client side's context: presents ``auth.crt``, requires the provider's
    certificate to chain to one of ``conf``'s approved CAs; no host name check."""
    return _base_context(ssl.Purpose.SERVER_AUTH, keys, conf)


class TlsContexts:
    """The contexts for the newest configuration; ``server`` is one object for the listener.

    Call :meth:`update` after each accepted configuration: when the approved CAs changed,
    new contexts are built and new connections use them (established ones keep theirs).
    """

    def __init__(self, keys: GatewayKeys, conf: GlobalConfiguration) -> None:
        self._keys = keys
        self._cas = _ca_set(conf)
        self.client = client_context(keys, conf)
        self.server = server_context(keys, conf)
        self.server.sni_callback = self._switch
        self._current_server = self.server

    def _switch(self, connection: ssl.SSLObject, name: str | None, _: ssl.SSLContext) -> None:
        connection.context = self._current_server

    def update(self, conf: GlobalConfiguration) -> bool:
        """Rebuild the contexts if ``conf`` approves other CAs; return whether it did."""
        cas = _ca_set(conf)
        if cas == self._cas:
            return False
        self._current_server = server_context(self._keys, conf)
        self.client = client_context(self._keys, conf)
        self._cas = cas
        return True


def _ca_set(conf: GlobalConfiguration) -> tuple[str, ...]:
    return tuple(sorted(ca.certificate_pem for ca in conf.approved_cas))


class _GatewayIndex:
    """Which gateway lists which authentication-certificate hash, for one configuration."""

    def __init__(self, conf: GlobalConfiguration) -> None:
        self.conf = conf
        self.by_hash: dict[str, ServerId] = {}
        for gateway in conf.gateways:
            member = MemberId(conf.instance, gateway.member_class, gateway.member_code)
            for digest in gateway.auth_cert_sha256:
                self.by_hash[digest.lower()] = member.server(gateway.server_code)


_index: _GatewayIndex | None = None


def _gateways(conf: GlobalConfiguration) -> _GatewayIndex:
    global _index
    index = _index
    if index is None or index.conf is not conf:
        index = _GatewayIndex(conf)
        _index = index
    return index


def check_peer(
    client: ConfigurationClient,
    der: bytes | None,
    *,
    member: MemberId | None = None,
    server: ServerId | None = None,
    side: Side,
) -> ServerId:
    """Return the gateway that presented ``der`` if the configuration lets it be that peer.

    Checks, in order (the first failure names the reason): a certificate was presented
    and parses; an approved CA issued it and it is valid now; it is not revoked; its
    SHA-256 is listed for a gateway; that gateway is ``server`` (when given) and belongs
    to ``member`` (when given). Raises :class:`GatewayError` with the SSL code of ``side``,
    or the outdated-configuration code when no valid configuration is held.
    """
    code = _ssl_code(side)
    conf = _trusted_configuration(client, der, side)  # refuses an empty ``der``
    digest = hashlib.sha256(der or b"").hexdigest()
    found = _gateways(conf).by_hash.get(digest)
    if found is None:
        raise GatewayError(
            code, f"the peer's TLS certificate (SHA-256 {digest}) is not listed for any gateway"
        )
    if server is not None and found != server:
        raise GatewayError(code, f"the peer's TLS certificate is gateway {found}'s, not {server}'s")
    if member is not None and found.member != member:
        raise GatewayError(
            code, f"the peer's TLS certificate belongs to {found.member}, not to {member}"
        )
    return found


def _trusted_configuration(
    client: ConfigurationClient, der: bytes | None, side: Side
) -> GlobalConfiguration:
    """The configuration in force, once ``der`` parses and an approved CA vouches for it."""
    code = _ssl_code(side)
    if not der:
        raise GatewayError(code, "the peer gateway presented no TLS certificate")
    try:
        certificate = x509.load_der_x509_certificate(der)
    except (ValueError, x509.InvalidVersion):  # InvalidVersion is no ValueError
        raise GatewayError(code, "the peer's TLS certificate cannot be parsed") from None
    try:
        client.check_certificate(certificate)
        return client.current()
    except RevokedCertificateError as error:
        raise GatewayError(code, f"the peer's TLS certificate is revoked: {error}") from None
    except UntrustedCertificateError as error:
        raise GatewayError(
            code, f"the peer's TLS certificate is not from an approved CA or not valid now: {error}"
        ) from None
    except GlobalConfigurationError as error:
        raise GatewayError(
            _outdated_code(side), f"no valid global configuration: {error}"
        ) from None


def peer_certificate(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> bytes | None:
    """The DER certificate the peer presented on a TLS connection, or None.

    With aiohttp: ``request.transport.get_extra_info("ssl_object")`` on the server side,
    ``response.connection.transport.get_extra_info("ssl_object")`` on the client side.
    """
    if ssl_object is None:
        return None
    return ssl_object.getpeercert(binary_form=True)


def handshake_error(error: BaseException, side: Side) -> GatewayError:
    """The X-Road error for a TLS handshake OpenSSL refused (``error`` as raised or wrapped).

    aiohttp's ``ClientConnectorCertificateError`` carries the verification error as
    ``certificate_error``; it is looked through.
    """
    inner = getattr(error, "certificate_error", None) or error
    code = _ssl_code(side)
    if isinstance(inner, ssl.SSLCertVerificationError):
        reason = inner.verify_message or str(inner)
        return GatewayError(
            code, f"the peer's TLS certificate is not from an approved CA or not valid: {reason}"
        )
    if isinstance(inner, ssl.SSLError):
        return GatewayError(
            code, f"the TLS handshake with the peer failed: {inner.reason or inner}"
        )
    return GatewayError(code, f"the TLS handshake with the peer failed: {type(inner).__name__}")
