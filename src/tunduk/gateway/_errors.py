"""The errors the gateway answers with: X-Road codes, the status rule and the error body.

X-Road REST r1 (``pr-rest_x-road_message_protocol_for_rest.md`` §4.4): an error raised by a
gateway is answered with HTTP 500 when its code starts with ``Server.`` and 400 otherwise,
with the body ``{"type": CODE, "message": TEXT, "detail": ID}`` and the header
``X-Road-Error: CODE``. The spec asks gateways to respect ``Accept`` but defines no XML
shape; ours is ``<error><type/><message/><detail/></error>``. Errors a provider's own
service returns are not gateway errors: they pass through unchanged.

Codes follow X-Road's families: ``Client.*`` (the request is at fault),
``Server.ClientProxy.*`` (the client's own gateway failed or refused),
``Server.ServerProxy.*`` (the provider's gateway failed or refused). Every code the
gateway emits is a member of :class:`Code`; ``docs/gateway.md`` lists them.

Exceptions::

    Exception
     └── GatewayError      .code (an X-Road code), .message (English, safe to show), .status
"""

from __future__ import annotations

from enum import StrEnum
from xml.sax.saxutils import escape

import orjson

__all__ = ["Code", "GatewayError", "error_body", "wants_xml"]


class Code(StrEnum):
    """Every X-Road error code the gateway emits, with when it emits it."""

    # ---- the request is at fault (HTTP 400) ------------------------------------------------
    CLIENT_BAD_REQUEST = "Client.BadRequest"
    """Malformed path, identifier, header, percent-encoding, ``..`` or encoded slash."""
    INVALID_CLIENT_IDENTIFIER = "Client.InvalidClientIdentifier"
    """``X-Road-Client`` is missing, malformed, of another instance or not this gateway's
    own member's (X-Road raises ``InvalidClientIdentifier`` for the same cases; the
    ``Client.`` family because the request, not the gateway, is at fault)."""
    REQUEST_TOO_LARGE = "Client.RequestTooLarge"
    """The body exceeds ``limits.max_body_bytes`` or the path or headers their bounds."""
    INVALID_SECURITY_SERVER = "Client.InvalidSecurityServer"
    """``X-Road-Security-Server`` is malformed or names a gateway that cannot serve the service."""
    # ---- the client's gateway (HTTP 500) ---------------------------------------------------
    UNKNOWN_MEMBER = "Server.ClientProxy.UnknownMember"
    """The service's member or subsystem is not in the global configuration."""
    OUTDATED_GLOBALCONF_CLIENT = "Server.ClientProxy.OutdatedGlobalConf"
    """The client gateway holds no valid (unexpired) global configuration."""
    SSL_AUTH_FAILED_CLIENT = "Server.ClientProxy.SslAuthenticationFailed"
    """The provider gateway's TLS certificate is not the one the configuration lists."""
    NETWORK_ERROR_CLIENT = "Server.ClientProxy.NetworkError"
    """The provider gateway could not be reached, did not answer within
    ``limits.peer_timeout``, or went away mid-exchange."""
    INVALID_SIGNATURE_CLIENT = "Server.ClientProxy.InvalidSignatureValue"
    """The provider's response signature is missing or does not verify."""
    INCONSISTENT_RESPONSE = "Server.ClientProxy.InconsistentResponse"
    """The response does not match the request (its ids or ``X-Road-Request-Hash``)."""
    MEMBER_SUSPENDED_CLIENT = "Server.ClientProxy.MemberSuspended"
    """The client's member or the provider's member is suspended (seen by the client gateway)."""
    INTERNAL = "Server.ClientProxy.InternalError"
    """An unexpected failure inside the client gateway (logged; the detail id finds it)."""
    # ---- the provider's gateway (HTTP 500) -------------------------------------------------
    OUTDATED_GLOBALCONF_SERVER = "Server.ServerProxy.OutdatedGlobalConf"
    """The provider gateway holds no valid (unexpired) global configuration."""
    SSL_AUTH_FAILED_SERVER = "Server.ServerProxy.SslAuthenticationFailed"
    """The calling gateway's TLS certificate is unlisted, revoked, or not the client member's."""
    INVALID_SIGNATURE_SERVER = "Server.ServerProxy.InvalidSignatureValue"
    """The request's signature is missing or does not verify."""
    ACCESS_DENIED = "Server.ServerProxy.AccessDenied"
    """No grant lets the client subsystem (or its groups) call that service and endpoint."""
    MEMBER_SUSPENDED = "Server.ServerProxy.MemberSuspended"
    """The client's member (or the provider's own) is suspended in the global configuration."""
    UNKNOWN_SERVICE = "Server.ServerProxy.UnknownService"
    """The provider gateway does not serve that service (not in its configuration file)."""
    SERVICE_FAILED = "Server.ServerProxy.ServiceFailed"
    """The backend refused the connection or broke the HTTP exchange."""
    MAINTENANCE_MODE = "Server.ServerProxy.MaintenanceMode"
    """The provider gateway is in maintenance (``tunduk gateway maintenance on``); the
    client gateway tries the member's other gateways first."""
    NETWORK_ERROR_SERVER = "Server.ServerProxy.NetworkError"
    """The backend did not answer within the service's timeout (X-Road's code for a service
    that timed out, REST §4.6 example 2), or the client gateway went away mid-exchange."""
    INTERNAL_SERVER = "Server.ServerProxy.InternalError"
    """An unexpected failure inside the provider gateway (logged; the detail id finds it)."""


class GatewayError(Exception):
    """A refusal or failure the gateway answers with an X-Road error.

    ``message`` is English and safe to show to the client: it never holds a secret, a
    stack trace or a value the gateway did not choose to quote.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = str(code)
        self.message = message

    @property
    def status(self) -> int:
        """X-Road's rule: 500 when the code starts with ``Server.``, else 400."""
        return 500 if self.code.startswith("Server.") else 400


def wants_xml(accept: str | None) -> bool:
    """True when ``Accept`` prefers an XML type to JSON (JSON is X-Road's default).

    The media ranges are weighed by their ``q``; on a tie the earlier one wins. Only
    the first 32 ranges are read, so a hostile header costs nothing.
    """
    if not accept:
        return False
    best_xml = best_json = (-1.0, 0)
    for position, media_range in enumerate(accept.lower().split(",")[:32]):
        kind, _, parameters = media_range.partition(";")
        weight = _quality(parameters)
        rank = (weight, -position)
        if "xml" in kind and rank > best_xml:
            best_xml = rank
        elif "json" in kind and rank > best_json:
            best_json = rank
    return best_xml[0] > 0 and best_xml > best_json


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name == "q":
            try:
                weight = float(value)
            except ValueError:
                return 0.0
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0


def error_body(error: GatewayError, detail: str, accept: str | None) -> tuple[bytes, str]:
    """The body and content type of an error: JSON by default, XML when ``Accept`` asks for it.

    ``detail`` is the id under which the failure was logged and journaled (a UUID).
    """
    if wants_xml(accept):
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<error><type>{escape(error.code)}</type>"
            f"<message>{escape(error.message)}</message>"
            f"<detail>{escape(detail)}</detail></error>"
        )
        return body.encode(), "text/xml; charset=utf-8"
    payload = {"type": error.code, "message": error.message, "detail": detail}
    return orjson.dumps(payload), "application/json; charset=utf-8"
