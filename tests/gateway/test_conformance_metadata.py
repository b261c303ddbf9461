"""X-Road REST metadata services through the gateways, as a plain HTTP client sees them.

``pr-mrest_x-road_service_metadata_protocol_for_rest.md`` (listMethods, allowedMethods,
getOpenAPI) and ``pr-meta_…`` (listClients), with the snake_case JSON of the spec's
examples.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
import yaml

# Skipped only while a part of the gateway it needs has not been merged yet.
pytest.importorskip("tunduk.gateway.runtime", exc_type=ImportError)

from ._clients import Reply, http_call
from .conftest import PROVIDER_SUBSYSTEM, SERVICE_CODE, Exchange


def _get(exchange: Exchange, path: str, accept: str | None = None) -> Reply:
    headers = {"X-Road-Client": exchange.client_id}
    if accept:
        headers["Accept"] = accept
    return http_call(exchange.client_gw.client_url, "GET", path, headers)


def _subsystem_path(exchange: Exchange) -> str:
    return f"/r1/{exchange.provider.subsystem(PROVIDER_SUBSYSTEM)}"


def test_list_clients_json(exchange: Exchange) -> None:
    """pr-meta listClients: JSON with Accept: application/json lists members and subsystems."""
    reply = _get(exchange, "/listClients", "application/json")
    assert reply.status == 200, reply.body
    members = reply.json()["member"]
    ids = {
        (
            m["id"]["object_type"],
            m["id"]["member_code"],
            m["id"].get("subsystem_code"),
        )
        for m in members
    }
    assert ("MEMBER", "70000001", None) in ids
    assert ("SUBSYSTEM", "70000001", PROVIDER_SUBSYSTEM) in ids
    assert ("SUBSYSTEM", "70000004", "pension-accounts") in ids
    sample = next(m for m in members if m["id"]["object_type"] == "MEMBER")
    assert sample["id"]["xroad_instance"] == "KG"
    assert sample["name"]


def test_list_clients_xml_by_default(exchange: Exchange) -> None:
    """pr-meta listClients: text/xml clientList when JSON is not asked for."""
    reply = http_call(exchange.client_gw.client_url, "GET", "/listClients?xRoadInstance=KG")
    assert reply.status == 200, reply.body
    assert "xml" in (reply.header("Content-Type") or "")
    root = ElementTree.fromstring(reply.body)
    assert root.tag.endswith("clientList")
    assert len(list(root)) >= 4


def test_list_methods(exchange: Exchange) -> None:
    """pr-mrest listMethods: the provider subsystem's REST services with their endpoints."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/listMethods")
    assert reply.status == 200, reply.body
    services = {s["service_code"]: s for s in reply.json()["service"]}
    assert set(services) == {SERVICE_CODE, "secret"}
    entry = services[SERVICE_CODE]
    assert entry["object_type"] == "SERVICE"
    assert entry["xroad_instance"] == "KG"
    assert entry["member_class"] == "GOV"
    assert entry["member_code"] == "70000001"
    assert entry["subsystem_code"] == PROVIDER_SUBSYSTEM
    assert entry["service_type"] == "OPENAPI"
    endpoints = {(e["method"], e["path"]) for e in entry["endpoint_list"]}
    assert ("GET", "/persons/*") in endpoints  # path parameters as globs, as in the spec's example
    assert reply.header("X-Road-Request-Hash")


def test_allowed_methods_lists_only_granted_services(exchange: Exchange) -> None:
    """pr-mrest allowedMethods: only what the caller's grants allow."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/allowedMethods")
    assert reply.status == 200, reply.body
    codes = [s["service_code"] for s in reply.json()["service"]]
    assert codes == [SERVICE_CODE]


def test_allowed_methods_for_a_client_without_grants(exchange: Exchange) -> None:
    """pr-mrest allowedMethods: a client with no grant gets an empty list, not an error."""
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        f"{_subsystem_path(exchange)}/allowedMethods",
        {"X-Road-Client": exchange.client.subsystem("hr")},
    )
    assert reply.status == 200, reply.body
    assert reply.json() == {"service": []}


def test_get_openapi(exchange: Exchange) -> None:
    """pr-mrest getOpenAPI: the service's OpenAPI 3 document."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/getOpenAPI?serviceCode={SERVICE_CODE}")
    assert reply.status == 200, reply.body
    document = yaml.safe_load(reply.body)
    assert document["openapi"].startswith("3.")
    assert "/persons/{pin}" in document["paths"]


def test_get_openapi_of_an_unknown_service(exchange: Exchange) -> None:
    """pr-mrest getOpenAPI: an unknown serviceCode is an error with an X-Road code."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/getOpenAPI?serviceCode=nothing")
    assert reply.status in (400, 500)
    assert reply.header("X-Road-Error")


def test_list_clients_of_another_instance_is_empty(exchange: Exchange) -> None:
    """pr-meta listClients: xRoadInstance selects the instance; one not known here lists nobody."""
    reply = _get(exchange, "/listClients?xRoadInstance=EE", "application/json")
    assert reply.status == 200, reply.body
    assert reply.json() == {"member": []}


def test_list_clients_with_a_malformed_instance(exchange: Exchange) -> None:
    """pr-meta listClients: an xRoadInstance outside the identifier grammar is Client.BadRequest."""
    reply = _get(exchange, "/listClients?xRoadInstance=%FF", "application/json")
    assert reply.status == 400
    assert reply.header("X-Road-Error") == "Client.BadRequest"
    assert reply.json()["type"] == "Client.BadRequest"


def test_list_methods_needs_the_client_header(exchange: Exchange) -> None:
    """pr-mrest listMethods: called like any REST service, X-Road-Client is required."""
    reply = http_call(
        exchange.client_gw.client_url, "GET", f"{_subsystem_path(exchange)}/listMethods"
    )
    assert reply.status == 400
    assert reply.header("X-Road-Error") == "Client.InvalidClientIdentifier"


@pytest.mark.parametrize(
    "tail",
    [
        "getWsdl?serviceCode=person-by-pin",  # reserved, and SOAP's
        "listMethods/extra",  # a metadata service takes no further path
        "getOpenAPI",  # serviceCode is required
        f"getOpenAPI?serviceCode={SERVICE_CODE}&serviceCode=secret",  # parameter pollution
    ],
)
def test_metadata_requests_out_of_shape(exchange: Exchange, tail: str) -> None:
    """pr-mrest: reserved codes and getOpenAPI's one serviceCode; anything else is Client.BadRequest."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/{tail}")
    assert reply.status == 400, reply.body
    assert reply.header("X-Road-Error") == "Client.BadRequest"
    assert exchange.backend.requests == []


def test_get_openapi_of_an_unknown_service_is_unknown_service(exchange: Exchange) -> None:
    """pr-mrest getOpenAPI: a serviceCode the provider does not describe is UnknownService (500)."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/getOpenAPI?serviceCode=nothing")
    assert reply.status == 500
    assert reply.header("X-Road-Error") == "Server.ServerProxy.UnknownService"
    assert reply.json()["type"] == "Server.ServerProxy.UnknownService"


def test_allowed_methods_lists_only_granted_endpoints(exchange: Exchange) -> None:
    """pr-mrest allowedMethods: an endpoint grant lists that endpoint only, in endpoint_list."""
    hr = exchange.client.subsystem("hr")
    exchange.world.grant(exchange.service_id, hr, "POST", "/search")
    exchange.world.publish()
    exchange.refresh()
    reply = http_call(
        exchange.client_gw.client_url,
        "GET",
        f"{_subsystem_path(exchange)}/allowedMethods",
        {"X-Road-Client": hr},
    )
    assert reply.status == 200, reply.body
    services = reply.json()["service"]
    assert [s["service_code"] for s in services] == [SERVICE_CODE]
    assert services[0]["endpoint_list"] == [{"method": "POST", "path": "/search"}]


def test_metadata_answers_carry_the_xroad_headers(exchange: Exchange) -> None:
    """REST §4.3: a metadata answer is a message like any other, with the gateway's headers."""
    reply = _get(exchange, f"{_subsystem_path(exchange)}/allowedMethods")
    assert reply.status == 200, reply.body
    assert reply.header("X-Road-Client") == exchange.client_id
    assert (
        reply.header("X-Road-Service")
        == f"{exchange.provider.subsystem(PROVIDER_SUBSYSTEM)}/allowedMethods"
    )
    assert reply.header("X-Road-Id")
    assert reply.header("X-Road-Request-Id")
    assert reply.header("X-Road-Request-Hash")
