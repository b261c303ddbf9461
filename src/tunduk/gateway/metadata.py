"""X-Road's metadata services: ``listClients``, ``listMethods``, ``allowedMethods``, ``getOpenAPI``.

Shapes (XROAD-PROTOCOL "Metadata services"; ``pr-meta`` and ``pr-mrest``):

- ``GET /listClients[?xRoadInstance=KG]`` on the client side: ``text/xml`` ``clientList``
  (pr-meta Annex C.1: ``member`` elements with ``id``, ``name`` and, for a subsystem,
  ``subsystemName``) by default, JSON when ``Accept`` asks for ``application/json``::

      {"member": [{"id": {"member_class", "member_code", "object_type": "MEMBER",
                          "xroad_instance"}, "name"},
                  {"id": {..., "object_type": "SUBSYSTEM", "subsystem_code"},
                   "name", "subsystem_name"}]}

  Only this instance is known (no federation): another ``xRoadInstance`` lists nobody.
- ``/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/listMethods`` and ``/allowedMethods``,
  answered by the provider gateway::

      {"service": [{"member_class", "member_code", "object_type": "SERVICE",
                    "service_code", "service_type": "REST"|"OPENAPI", "subsystem_code",
                    "xroad_instance", "endpoint_list": [{"method", "path"}]}]}

  ``listMethods``: every service of the subsystem in the gateway's configuration, with
  the endpoints of its OpenAPI document (a REST service without one: ``*`` ``**``).
  ``allowedMethods``: only services the client holds a grant for, with the granted
  endpoints (a whole-service grant: ``*`` ``**``, as X-Road lists it).
- ``/r1/…/{SUBSYSTEM}/getOpenAPI?serviceCode=CODE``: the service's document, byte for
  byte as configured (``application/json`` or ``text/yaml``, as pr-mrest Annex A).

The OpenAPI documents are read once (:meth:`ServiceDescriptions.load`, blocking: run it
at start-up or in a thread), never per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import orjson

from tunduk.globalconf import GlobalConfiguration
from tunduk.identifiers import IdentifierError, MemberId, SubsystemId, check_part

from ._config_reader import ConfigError
from ._errors import Code, GatewayError, wants_xml
from ._openapi import MAX_DOCUMENT_BYTES, OpenApiDocument, read_openapi
from .access import WHOLE_SERVICE, AccessIndex, EndpointRule
from .config import GatewayConfig, ServiceConfig
from .xroad import MetadataService, RestTarget

__all__ = [
    "JSON",
    "ServiceDescriptions",
    "allowed_methods",
    "get_openapi",
    "list_clients",
    "list_methods",
    "metadata_response",
]

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"
_XML_NAMESPACES = (
    'xmlns:id="http://x-road.eu/xsd/identifiers" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"'
)


@dataclass(frozen=True)
class ServiceDescriptions:
    """The gateway's own services with their OpenAPI documents, read once."""

    config: GatewayConfig
    documents: dict[tuple[str, str], OpenApiDocument]

    @classmethod
    def load(cls, config: GatewayConfig) -> ServiceDescriptions:
        """Read every configured OpenAPI document; ``ConfigError`` names the service and rule."""
        documents: dict[tuple[str, str], OpenApiDocument] = {}
        for index, service in enumerate(config.services):
            if service.openapi is None:
                continue
            field = f"services[{index}].openapi"
            try:
                with service.openapi.open("rb") as handle:
                    raw = handle.read(MAX_DOCUMENT_BYTES + 1)
            except OSError as error:
                raise ConfigError(
                    field, "cannot be read: %(reason)s", reason=error.strerror or error
                ) from None
            try:
                documents[(service.subsystem, service.code)] = read_openapi(raw)
            except ValueError as error:
                raise ConfigError(
                    field, "is not a usable OpenAPI document: %(reason)s", reason=error
                ) from None
        return cls(config, documents)

    def document(self, service: ServiceConfig) -> OpenApiDocument | None:
        """The service's OpenAPI document, or None for a plain REST service."""
        return self.documents.get((service.subsystem, service.code))

    def endpoints(self, service: ServiceConfig) -> tuple[EndpointRule, ...]:
        """The service's endpoints: its document's, or ``*`` ``**`` without a document."""
        document = self.document(service)
        return (WHOLE_SERVICE,) if document is None else document.endpoints

    def services_of(self, subsystem: SubsystemId) -> list[ServiceConfig]:
        """The configured services of ``subsystem`` (``UnknownService`` if not this member's)."""
        if subsystem.member != self.config.member:
            raise GatewayError(Code.UNKNOWN_SERVICE, f"{subsystem} is not served by this gateway")
        return [s for s in self.config.services if s.subsystem == subsystem.subsystem_code]


# ---- listClients ------------------------------------------------------------------------


def list_clients(
    conf: GlobalConfiguration, instance: str | None, accept: str | None
) -> tuple[bytes, str]:
    """``listClients``: the members and subsystems of the configuration, XML or JSON."""
    if instance is not None:
        try:
            check_part(instance, "xRoadInstance")
        except IdentifierError as error:
            raise GatewayError(Code.CLIENT_BAD_REQUEST, f"Invalid {error}") from None
    entries = list(_clients(conf)) if instance in (None, conf.instance) else []
    if accept and "application/json" in accept.lower() and not wants_xml(accept):
        return orjson.dumps({"member": [_client_json(*entry) for entry in entries]}), JSON
    members = "".join(_client_xml(*entry) for entry in entries)
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<xrd:clientList {_XML_NAMESPACES}>{members}</xrd:clientList>'
    return body.encode("utf-8"), XML


def _clients(
    conf: GlobalConfiguration,
) -> Iterable[tuple[MemberId | SubsystemId, str, str | None]]:
    for member in sorted(conf.members, key=lambda m: (m.member_class, m.member_code)):
        member_id = MemberId(conf.instance, member.member_class, member.member_code)
        yield member_id, member.name, None
        for subsystem in sorted(member.subsystems, key=lambda s: s.subsystem_code):
            yield SubsystemId(member_id, subsystem.subsystem_code), member.name, subsystem.name


def _client_json(
    client: MemberId | SubsystemId, name: str, subsystem_name: str | None
) -> dict[str, object]:
    member = client.member if isinstance(client, SubsystemId) else client
    identifier: dict[str, str] = {
        "member_class": member.member_class,
        "member_code": member.member_code,
        "object_type": "SUBSYSTEM" if isinstance(client, SubsystemId) else "MEMBER",
    }
    if isinstance(client, SubsystemId):
        identifier["subsystem_code"] = client.subsystem_code
    identifier["xroad_instance"] = member.instance
    entry: dict[str, object] = {"id": identifier, "name": name}
    if subsystem_name is not None:
        entry["subsystem_name"] = subsystem_name
    return entry


def _client_xml(client: MemberId | SubsystemId, name: str, subsystem_name: str | None) -> str:
    member = client.member if isinstance(client, SubsystemId) else client
    kind = "SUBSYSTEM" if isinstance(client, SubsystemId) else "MEMBER"
    subsystem = (
        f"<id:subsystemCode>{_text(client.subsystem_code)}</id:subsystemCode>"
        if isinstance(client, SubsystemId)
        else ""
    )
    subsystem_name_xml = (
        ""
        if subsystem_name is None
        else f"<xrd:subsystemName>{_text(subsystem_name)}</xrd:subsystemName>"
    )
    return (
        f'<xrd:member><xrd:id id:objectType="{kind}">'
        f"<id:xRoadInstance>{_text(member.instance)}</id:xRoadInstance>"
        f"<id:memberClass>{_text(member.member_class)}</id:memberClass>"
        f"<id:memberCode>{_text(member.member_code)}</id:memberCode>{subsystem}"
        f"</xrd:id><xrd:name>{_text(name)}</xrd:name>{subsystem_name_xml}</xrd:member>"
    )


def _text(value: str) -> str:
    """XML-escaped text without the characters XML 1.0 cannot hold."""
    legal = "".join(
        char
        for char in value
        if char in "\t\n\r" or ("\x20" <= char <= "\ud7ff") or char >= "\ue000"
    )
    return escape(legal.replace("\ufffe", "").replace("\uffff", ""))


# ---- listMethods, allowedMethods, getOpenAPI --------------------------------------------


def _service_json(
    config: GatewayConfig, service: ServiceConfig, endpoints: Iterable[EndpointRule]
) -> dict[str, object]:
    return {
        "member_class": config.member_class,
        "member_code": config.member_code,
        "object_type": "SERVICE",
        "service_code": service.code,
        "service_type": service.service_type,
        "subsystem_code": service.subsystem,
        "xroad_instance": config.instance,
        "endpoint_list": [{"method": rule.method, "path": rule.path} for rule in endpoints],
    }


def list_methods(descriptions: ServiceDescriptions, subsystem: SubsystemId) -> bytes:
    """``listMethods``: every REST service of ``subsystem`` with its endpoints (JSON)."""
    config = descriptions.config
    services = [
        _service_json(config, service, descriptions.endpoints(service))
        for service in descriptions.services_of(subsystem)
    ]
    return orjson.dumps({"service": services})


def allowed_methods(
    descriptions: ServiceDescriptions,
    index: AccessIndex,
    client: MemberId | SubsystemId,
    subsystem: SubsystemId,
) -> bytes:
    """``allowedMethods``: the services of ``subsystem`` ``client`` may call, granted endpoints."""
    config = descriptions.config
    services = []
    for service in descriptions.services_of(subsystem):
        allowed = index.allowed_endpoints(client, config.service_id(service))
        if allowed is not None:
            services.append(_service_json(config, service, allowed.rules()))
    return orjson.dumps({"service": services})


def get_openapi(
    descriptions: ServiceDescriptions, subsystem: SubsystemId, query: str
) -> tuple[bytes, str]:
    """``getOpenAPI?serviceCode=CODE``: the service's document as configured."""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=16, strict_parsing=False)
    except ValueError:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "Too many query parameters") from None
    codes = [value for name, value in pairs if name == "serviceCode"]
    if len(codes) != 1:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, "getOpenAPI needs exactly one serviceCode")
    try:
        code = check_part(codes[0], "serviceCode")
    except IdentifierError as error:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, f"Invalid {error}") from None
    service = next((s for s in descriptions.services_of(subsystem) if s.code == code), None)
    if service is None:
        raise GatewayError(Code.UNKNOWN_SERVICE, f"{subsystem}/{code} is not served here")
    document = descriptions.document(service)
    if document is None:
        raise GatewayError(Code.UNKNOWN_SERVICE, f"{subsystem}/{code} has no OpenAPI description")
    return document.raw, document.content_type


def metadata_response(
    descriptions: ServiceDescriptions,
    index: AccessIndex,
    target: RestTarget,
    client: MemberId | SubsystemId,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """The provider side's answer to a metadata call: status, headers, body."""
    subsystem = target.service.subsystem
    if target.metadata is MetadataService.LIST_METHODS:
        body, content_type = list_methods(descriptions, subsystem), JSON
    elif target.metadata is MetadataService.ALLOWED_METHODS:
        body, content_type = allowed_methods(descriptions, index, client, subsystem), JSON
    elif target.metadata is MetadataService.GET_OPENAPI:
        body, content_type = get_openapi(descriptions, subsystem, target.query)
    else:
        raise GatewayError(Code.CLIENT_BAD_REQUEST, f"{target.service} is not a metadata service")
    return 200, [("Content-Type", content_type)], body
