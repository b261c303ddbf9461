"""The signed global configuration: generated from the Catalog, served, verified by a gateway client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from tests.factories import OPENAPI_YAML, SHARED_FIELDS, csr_for
from tunduk import globalconf as gc
from tunduk.catalog.configuration import latest_signed, publish_configuration
from tunduk.catalog.models import ConfigurationVersion
from tunduk.catalog.services import access, gateways, systems
from tunduk.trust.ca import certificate_to_pem

pytestmark = pytest.mark.django_db(transaction=True)


def _client(live_server, tmp_path, **kwargs) -> gc.ConfigurationClient:
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/globalconf/anchor.json") as response:
        anchor = gc.ConfigurationAnchor.from_bytes(response.read())
    return gc.ConfigurationClient(
        f"{live_server.url}/globalconf/configuration", anchor, tmp_path, **kwargs
    )


def _grant_and_gateway(provider, consumer, tunduk_operator):
    participant, owner, subsystem = provider
    service = systems.save_service(
        owner,
        subsystem,
        service_code="birth-records",
        title="Births",
        backend_url="https://births.internal",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )
    _, engineer, client = consumer
    request = access.request_access(engineer, client, service, "Eligibility checks")
    access.decide_access(owner, request, grant=True)
    gateway = gateways.register_gateway(
        owner, participant, "gw1", "gw1.births.kg:5500", csr_for(participant, server_code="gw1")
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    return service, client, gateway


def test_gateway_downloads_and_verifies_configuration_with_grant(
    live_server, tmp_path, provider, consumer, tunduk_operator
):
    """DESIGN §4: the grant and the approved gateway appear in the configuration a gateway verifies."""
    service, client, gateway = _grant_and_gateway(provider, consumer, tunduk_operator)
    conf = _client(live_server, tmp_path).refresh()
    assert gc.Grant(str(service.identifier), str(client.identifier)) in conf.grants
    listed = {g.server_code: g for g in conf.gateways}
    certificate = gateway.certificates.get()
    assert listed["gw1"].auth_cert_sha256 == [certificate.sha256]
    members = {m.member_code: m for m in conf.members}
    assert (
        members["70000001"].subsystems[0].registry_code
        == service.subsystem.element.registration_code
    )


def test_revoked_certificate_leaves_the_configuration(
    live_server, tmp_path, provider, consumer, tunduk_operator
):
    """003 §3.2.1: a revoked authentication certificate disappears from the next configuration."""
    _, _, gateway = _grant_and_gateway(provider, consumer, tunduk_operator)
    gateways.revoke_certificate(tunduk_operator, gateway.certificates.get(), "Key lost")
    conf = _client(live_server, tmp_path).refresh()
    assert {g.server_code: g for g in conf.gateways}["gw1"].auth_cert_sha256 == []


def test_tampered_or_expired_configuration_is_refused(live_server, tmp_path, provider):
    """DESIGN §4: a tampered configuration is refused and the last good copy kept; an expired one is refused."""
    client = _client(live_server, tmp_path)
    good = client.refresh()
    latest = ConfigurationVersion.objects.get(version=good.version)
    ConfigurationVersion.objects.filter(pk=latest.pk).update(
        document=bytes(latest.document).replace(b'"KG"', b'"KZ"', 1)
    )
    with pytest.raises(gc.SignatureError):
        client.refresh()
    assert client.current().version == good.version
    later = _client(live_server, tmp_path, clock=lambda: timezone.now() + timedelta(hours=1))
    with pytest.raises(gc.ExpiredError):
        later.current()


def test_unchanged_catalog_does_not_publish_a_new_version(provider):
    """A new version is published only when the content changes or the old one nears expiry."""
    first = publish_configuration(force=True)
    assert publish_configuration() is None
    assert ConfigurationVersion.objects.latest("version") == first


@contextmanager
def _mirror(body: bytes) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 answering every GET with ``body`` (an attacker's mirror)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", gc.MEDIA_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/globalconf/configuration"
    finally:
        server.shutdown()
        server.server_close()


def test_configuration_signed_with_a_participant_certificate_is_refused(
    live_server, tmp_path, provider, consumer, tunduk_operator
):
    """Issue 7 (3): a configuration signed with a certificate from the participants' CA is refused."""
    participant, owner, _ = provider
    key = ec.generate_private_key(ec.SECP256R1())
    gateway = gateways.register_gateway(
        owner,
        participant,
        "gw9",
        "gw9.births.kg:5500",
        csr_for(participant, server_code="gw9", key=key),
    )
    gateways.decide_gateway(tunduk_operator, gateway, approve=True)
    issued = x509.load_pem_x509_certificate(gateway.certificates.get().certificate_pem.encode())
    publish_configuration(force=True)
    genuine = latest_signed()
    assert genuine is not None
    forged = gc.sign(genuine.document, key, issued)
    honest_anchor = _client(live_server, tmp_path).anchor
    # Even an anchor that wrongly lists the participant's certificate does not let it sign.
    careless_anchor = gc.ConfigurationAnchor("KG", [certificate_to_pem(issued)])
    for anchor in (honest_anchor, careless_anchor):
        with _mirror(forged.to_bytes()) as url:
            client = gc.ConfigurationClient(url, anchor, tmp_path / str(id(anchor)))
            with pytest.raises(gc.SignatureError):
                client.refresh()
