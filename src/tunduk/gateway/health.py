"""The health check a load balancer asks: ``GET /health`` on ``listen.health``.

A member may run several gateways behind a load balancer (X-Road calls it the health
check service, on port 5588 by convention). The answer is ``200`` with ``OK`` when the
gateway can carry messages, else ``500`` with one line per problem (``text/plain``):

- no valid global configuration (none accepted yet, or expired);
- the authentication or signing certificate is not valid now, is revoked, is no longer
  trusted, or the configuration does not list the authentication certificate for this
  gateway (peers would refuse its TLS handshake);
- maintenance is on (``tunduk gateway maintenance``): the balancer takes the gateway out
  of rotation while peers are refused;
- the journal's writer has stopped, or its last transaction failed (nothing would be
  answered: every answer waits for its journal leaves).

Everything is checked in memory, no disk or network access, and the verdict is kept for
one second, so a flood of health requests costs at most one check a second. Only ``GET``
(and ``HEAD``) of ``/`` or ``/health`` are answered; the listener is off unless
``listen.health`` is set, and should be reachable by the balancer only.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import web
from cryptography.hazmat.primitives.serialization import Encoding

from tunduk.globalconf import GlobalConfigurationError

from ._errors import GatewayError
from .status import describe_certificate
from .tls import check_peer

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["HEALTH_PATHS", "health_app", "health_problems"]

HEALTH_PATHS = ("/", "/health")
VERDICT_SECONDS = 1.0
"""How long one verdict is reused."""


def health_problems(runtime: GatewayRuntime) -> list[str]:
    """What keeps the gateway from carrying messages now, one sentence each (empty: none)."""
    problems: list[str] = []
    try:
        runtime.current()
    except GlobalConfigurationError as error:  # missing, expired, or its signer expired
        problems.append(f"global configuration: {error}")
        conf_ok = False
    else:
        conf_ok = True
    now = datetime.now(UTC)
    client = runtime.configurations if conf_ok else None
    keys = runtime.keys
    for name, certificate in (("authentication", keys.auth_cert), ("signing", keys.sign_cert)):
        section = describe_certificate(certificate, client, now)
        if section["state"] != "valid":
            reason = section.get("error") or section["state"]
            problems.append(f"{name} certificate: {reason}")
    if conf_ok and keys.auth_cert is not None and not problems:
        der = keys.auth_cert.public_bytes(Encoding.DER)
        try:
            check_peer(runtime.configurations, der, server=runtime.config.server, side="server")
        except GatewayError as error:
            problems.append(f"authentication certificate: {error.message}")
    maintenance = runtime.maintenance.state
    if maintenance is not None:
        problems.append(f"maintenance: {maintenance.describe()}")
    log = runtime.log
    if log is None or not log.writing:
        problems.append("journal: the writer is not running")
    elif log.last_failure is not None:
        problems.append(f"journal: the last write failed: {log.last_failure}")
    return problems


def health_app(runtime: GatewayRuntime) -> web.Application:
    """The health listener's application (see the module docstring)."""
    verdict: list[tuple[float, list[str]]] = []

    async def health(request: web.Request) -> web.Response:
        if request.path not in HEALTH_PATHS:
            return web.Response(status=404, text="not found: ask GET /health\n")
        now = time.monotonic()
        if not verdict or now - verdict[0][0] > VERDICT_SECONDS:
            verdict[:] = [(now, health_problems(runtime))]
        problems = verdict[0][1]
        if problems:
            return web.Response(status=500, text="".join(f"{line}\n" for line in problems))
        return web.Response(text="OK\n")

    app = web.Application(client_max_size=1024)
    app.router.add_get("/{tail:.*}", health)  # and HEAD; other methods get 405
    return app
