"""X-Road metadata services: listClients, listMethods, allowedMethods, getOpenAPI (pr-meta, pr-mrest)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest

from tunduk.gateway._errors import Code, GatewayError
from tunduk.gateway._openapi import MAX_DOCUMENT_BYTES, read_openapi
from tunduk.gateway.access import AccessIndex
from tunduk.gateway.config import ConfigError, GatewayConfig, load_config
from tunduk.gateway.metadata import (
    ServiceDescriptions,
    allowed_methods,
    get_openapi,
    list_clients,
    list_methods,
    metadata_response,
)
from tunduk.gateway.xroad import parse_target
from tunduk.identifiers import MemberId, SubsystemId

from ._protocol_helpers import configuration

ID = "{http://x-road.eu/xsd/identifiers}"
XRD = "{http://x-road.eu/xsd/xroad.xsd}"
POPULATION = SubsystemId(MemberId("KG", "GOV", "70000001"), "population")
PENSION = SubsystemId(MemberId("KG", "GOV", "70000004"), "pension-accounts")
TAX = SubsystemId(MemberId("KG", "GOV", "70000009"), "tax")
PETS_YAML = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get: {responses: {"200": {description: ok}}}
    post: {responses: {"201": {description: ok}}}
  /pets/{id}:
    get: {responses: {"200": {description: ok}}}
    parameters: []
"""
PERSON_JSON = {
    "openapi": "3.1.0",
    "info": {"title": "Person", "version": "1"},
    "paths": {"/{pin}": {"get": {"responses": {"200": {"description": "ok"}}}}},
}


def provider_config(directory: Path, extra: str = "") -> GatewayConfig:
    """The population registry's gateway: three services, two with OpenAPI documents."""
    (directory / "pets.yaml").write_text(PETS_YAML)
    (directory / "person.json").write_text(json.dumps(PERSON_JSON))
    (directory / "gateway.toml").write_text(
        """
[identity]
instance = "KG"
member_class = "GOV"
member_code = "70000001"
server_code = "ss1"
[central]
url = "http://127.0.0.1:8000/globalconf/"
anchor = "anchor.json"
[[services]]
subsystem = "population"
code = "person-by-pin"
url = "http://127.0.0.1:9001/"
openapi = "person.json"
[[services]]
subsystem = "population"
code = "pets"
url = "http://127.0.0.1:9002/"
openapi = "pets.yaml"
[[services]]
subsystem = "population"
code = "addresses"
url = "http://127.0.0.1:9003/"
"""
        + extra
    )
    return load_config(directory / "gateway.toml")


@pytest.fixture
def descriptions(tmp_path: Path) -> ServiceDescriptions:
    return ServiceDescriptions.load(provider_config(tmp_path))


@pytest.fixture(scope="module")
def index() -> AccessIndex:
    return AccessIndex(configuration())


# ---- listClients -------------------------------------------------------------------------


def test_list_clients_xml_by_default() -> None:
    """pr-meta §2: text/xml clientList with MEMBER and SUBSYSTEM ids and names by default."""
    body, content_type = list_clients(configuration(), None, None)
    assert content_type.startswith("text/xml")
    root = ET.fromstring(body)
    assert root.tag == f"{XRD}clientList"
    members = root.findall(f"{XRD}member")
    kinds = [m.find(f"{XRD}id").get(f"{ID}objectType") for m in members]  # type: ignore[union-attr]
    assert kinds.count("MEMBER") == 4
    assert kinds.count("SUBSYSTEM") == 5
    fund = next(
        m for m in members if m.findtext(f"{XRD}id/{ID}subsystemCode") == "pension-accounts"
    )
    assert fund.findtext(f"{XRD}id/{ID}xRoadInstance") == "KG"
    assert fund.findtext(f"{XRD}id/{ID}memberClass") == "GOV"
    assert fund.findtext(f"{XRD}id/{ID}memberCode") == "70000004"
    assert fund.findtext(f"{XRD}name") == "Social fund"
    assert fund.findtext(f"{XRD}subsystemName") == "Pension accounts"
    member = next(m for m in members if m.find(f"{XRD}id/{ID}subsystemCode") is None)
    assert member.find(f"{XRD}subsystemName") is None


def test_list_clients_json_shape() -> None:
    """pr-meta Annex B: JSON {"member":[{"id":{...snake_case...},"name"}]} with Accept JSON."""
    body, content_type = list_clients(configuration(), "KG", "application/json")
    assert content_type.startswith("application/json")
    members = orjson.loads(body)["member"]
    assert members[0] == {
        "id": {
            "member_class": "COM",
            "member_code": "12345",
            "object_type": "MEMBER",
            "xroad_instance": "KG",
        },
        "name": "A company",
    }
    assert members[1] == {
        "id": {
            "member_class": "COM",
            "member_code": "12345",
            "object_type": "SUBSYSTEM",
            "subsystem_code": "crm",
            "xroad_instance": "KG",
        },
        "name": "A company",
        "subsystem_name": "CRM",
    }


def test_list_clients_other_instance_is_empty() -> None:
    """pr-meta §2: xRoadInstance selects an instance; federated ones are unknown here."""
    body, _ = list_clients(configuration(), "EE", "application/json")
    assert orjson.loads(body) == {"member": []}


def test_list_clients_bad_instance() -> None:
    """Attacker: a malformed xRoadInstance is Client.BadRequest."""
    with pytest.raises(GatewayError) as caught:
        list_clients(configuration(), "<script>", None)
    assert caught.value.code == Code.CLIENT_BAD_REQUEST


def test_list_clients_escapes_names() -> None:
    """Names with markup or characters XML cannot hold still give well-formed XML."""
    conf = configuration()
    member = conf.members[0]
    hostile = type(member)(
        member.member_class, member.member_code, "<a>&\x01</xrd:name>", member.status, []
    )
    conf.members[0] = hostile
    body, _ = list_clients(conf, None, "text/xml")
    names = [e.text for e in ET.fromstring(body).iter(f"{XRD}name")]
    assert "<a>&</xrd:name>" in names


# ---- listMethods / allowedMethods ------------------------------------------------------------


def test_list_methods_shape(descriptions: ServiceDescriptions) -> None:
    """pr-mrest: {"service":[{snake_case ids, service_type, endpoint_list}]} for the subsystem."""
    services = orjson.loads(list_methods(descriptions, POPULATION))["service"]
    by_code = {service["service_code"]: service for service in services}
    assert by_code["pets"] == {
        "member_class": "GOV",
        "member_code": "70000001",
        "object_type": "SERVICE",
        "service_code": "pets",
        "service_type": "OPENAPI",
        "subsystem_code": "population",
        "xroad_instance": "KG",
        "endpoint_list": [
            {"method": "GET", "path": "/pets"},
            {"method": "POST", "path": "/pets"},
            {"method": "GET", "path": "/pets/*"},
        ],
    }
    assert by_code["person-by-pin"]["endpoint_list"] == [{"method": "GET", "path": "/*"}]
    assert by_code["addresses"]["service_type"] == "REST"
    assert by_code["addresses"]["endpoint_list"] == [{"method": "*", "path": "**"}]


def test_list_methods_of_other_member_refused(descriptions: ServiceDescriptions) -> None:
    """A subsystem this gateway does not serve is Server.ServerProxy.UnknownService."""
    with pytest.raises(GatewayError) as caught:
        list_methods(descriptions, PENSION)
    assert caught.value.code == Code.UNKNOWN_SERVICE


def test_list_methods_of_empty_subsystem(descriptions: ServiceDescriptions) -> None:
    """A subsystem of this member without configured services lists none."""
    other = SubsystemId(POPULATION.member, "archive")
    assert orjson.loads(list_methods(descriptions, other)) == {"service": []}


def test_allowed_methods_lists_only_grants(
    descriptions: ServiceDescriptions, index: AccessIndex
) -> None:
    """pr-mrest: allowedMethods lists only what the caller's grants allow."""
    services = orjson.loads(allowed_methods(descriptions, index, PENSION, POPULATION))["service"]
    by_code = {service["service_code"]: service["endpoint_list"] for service in services}
    assert by_code == {
        "person-by-pin": [{"method": "*", "path": "**"}],
        "pets": [{"method": "GET", "path": "/pets/*"}, {"method": "POST", "path": "/pets"}],
    }
    tax = orjson.loads(allowed_methods(descriptions, index, TAX, POPULATION))["service"]
    assert {service["service_code"] for service in tax} == {"addresses", "pets"}


def test_allowed_methods_for_a_stranger(
    descriptions: ServiceDescriptions, index: AccessIndex
) -> None:
    """Attacker: a client with no grants (or of another instance) sees an empty list."""
    stranger = SubsystemId(MemberId("EE", "GOV", "70000004"), "pension-accounts")
    assert orjson.loads(allowed_methods(descriptions, index, stranger, POPULATION)) == {
        "service": []
    }


# ---- getOpenAPI -----------------------------------------------------------------------------


def test_get_openapi_returns_the_document(
    descriptions: ServiceDescriptions, tmp_path: Path
) -> None:
    """pr-mrest: getOpenAPI?serviceCode=X returns the service's document unchanged."""
    body, content_type = get_openapi(descriptions, POPULATION, "serviceCode=pets")
    assert body == (tmp_path / "pets.yaml").read_bytes()
    assert content_type == "text/yaml"
    body, content_type = get_openapi(descriptions, POPULATION, "serviceCode=person-by-pin")
    assert json.loads(body) == PERSON_JSON
    assert content_type == "application/json"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", Code.CLIENT_BAD_REQUEST),
        ("serviceCode=pets&serviceCode=person-by-pin", Code.CLIENT_BAD_REQUEST),
        ("serviceCode=a/b", Code.CLIENT_BAD_REQUEST),
        ("serviceCode=", Code.CLIENT_BAD_REQUEST),
        ("&".join(["x=1"] * 100), Code.CLIENT_BAD_REQUEST),
        ("serviceCode=nope", Code.UNKNOWN_SERVICE),
        ("serviceCode=addresses", Code.UNKNOWN_SERVICE),
    ],
)
def test_get_openapi_refusals(descriptions: ServiceDescriptions, query: str, code: Code) -> None:
    """Attacker: missing, repeated (parameter pollution) or unknown serviceCode is refused."""
    with pytest.raises(GatewayError) as caught:
        get_openapi(descriptions, POPULATION, query)
    assert caught.value.code == code


def test_metadata_response_dispatch(descriptions: ServiceDescriptions, index: AccessIndex) -> None:
    """The provider answers each reserved code from its parsed /r1 target."""
    base = "/r1/KG/GOV/70000001/population"
    status, headers, body = metadata_response(
        descriptions, index, parse_target(f"{base}/listMethods"), PENSION
    )
    assert (status, headers[0][0]) == (200, "Content-Type")
    assert len(orjson.loads(body)["service"]) == 3
    _, _, body = metadata_response(
        descriptions, index, parse_target(f"{base}/allowedMethods"), PENSION
    )
    assert len(orjson.loads(body)["service"]) == 2
    _, headers, _ = metadata_response(
        descriptions, index, parse_target(f"{base}/getOpenAPI?serviceCode=pets"), PENSION
    )
    assert headers == [("Content-Type", "text/yaml")]
    with pytest.raises(GatewayError):
        metadata_response(descriptions, index, parse_target(f"{base}/pets"), PENSION)


# ---- loading the documents ---------------------------------------------------------------------


def test_missing_document_names_the_service(tmp_path: Path) -> None:
    """A configured OpenAPI file that cannot be read is a ConfigError naming the service."""
    config = provider_config(tmp_path)
    (tmp_path / "pets.yaml").unlink()
    with pytest.raises(ConfigError) as caught:
        ServiceDescriptions.load(config)
    assert caught.value.field == "services[1].openapi"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("openapi: 2.0\npaths: {}\n", "OpenAPI 3"),
        ("swagger: '2.0'\n", "OpenAPI 3"),
        ("- a\n- b\n", "must be an object"),
        ("{not json", "neither valid JSON nor valid YAML"),
        ("openapi: 3.0.0\npaths: [1]\n", "paths must be an object"),
        ("openapi: 3.0.0\npaths: {pets: {get: {}}}\n", "start with '/'"),
        ("a: &x [1]\nb: *x\n", "alias"),
        ("openapi: 3.0.0\nx: " + "[" * 100 + "]" * 100 + "\n", "depth"),
        ('{"openapi": "3.0.0", "x": NaN}', "number"),
    ],
)
def test_hostile_documents(text: str, words: str) -> None:
    """Attacker: wrong versions, bombs, deep nesting, NaN and bad paths are refused by rule."""
    with pytest.raises(ValueError, match=words):
        read_openapi(text.encode())


def test_document_size_and_endpoint_bounds() -> None:
    """Attacker: a document over 2 MiB, or declaring over 500 endpoints, is refused."""
    with pytest.raises(ValueError, match="larger than"):
        read_openapi(b"openapi: 3.0.0\n" + b"#" * MAX_DOCUMENT_BYTES)
    paths = {f"/p{n}": {"get": {}} for n in range(501)}
    with pytest.raises(ValueError, match="more than 500"):
        read_openapi(json.dumps({"openapi": "3.0.0", "paths": paths}).encode())


def test_ref_path_items_are_not_followed() -> None:
    """Nothing is resolved: a path item that is only a $ref lists no methods."""
    document = read_openapi(b'openapi: 3.0.0\npaths:\n  /a: {$ref: "http://evil/x"}\n')
    assert document.endpoints == ()


def test_documents_without_paths_or_with_odd_items() -> None:
    """A document without paths lists no endpoints; a path item that is not an object is skipped."""
    assert read_openapi(b'{"openapi": "3.0.0"}').endpoints == ()
    document = read_openapi(b"openapi: 3.0.0\npaths:\n  /a: null\n  /b: {get: {}}\n")
    assert [(rule.method, rule.path) for rule in document.endpoints] == [("GET", "/b")]


def test_invalid_document_names_the_service(tmp_path: Path) -> None:
    """A configured OpenAPI file that is not OpenAPI 3 is a ConfigError naming the service."""
    config = provider_config(tmp_path)
    (tmp_path / "person.json").write_text('{"swagger": "2.0"}')
    with pytest.raises(ConfigError) as caught:
        ServiceDescriptions.load(config)
    assert caught.value.field == "services[0].openapi"
    assert "OpenAPI 3" in caught.value.message


def test_pr_meta_annex_c1_example() -> None:
    """pr-meta Annex C.1: the spec's own listClients example, XML and JSON, field for field."""
    from tunduk.globalconf import Member, Subsystem, build

    from ._protocol_helpers import NOW

    conf = build(
        "AA",
        1,
        members=[
            Member("GOV", "TS1OWNER", "TS1 Owner"),
            Member("ENT", "CLIENT1", "Client One", subsystems=[Subsystem("sub", "Client One Sub")]),
        ],
        gateways=[],
        now=NOW,
    )
    body, _ = list_clients(conf, None, "application/json")
    assert orjson.loads(body)["member"] == [
        {
            "id": {
                "member_class": "ENT",
                "member_code": "CLIENT1",
                "object_type": "MEMBER",
                "xroad_instance": "AA",
            },
            "name": "Client One",
        },
        {
            "id": {
                "member_class": "ENT",
                "member_code": "CLIENT1",
                "subsystem_code": "sub",
                "object_type": "SUBSYSTEM",
                "xroad_instance": "AA",
            },
            "name": "Client One",
            "subsystem_name": "Client One Sub",
        },
        {
            "id": {
                "member_class": "GOV",
                "member_code": "TS1OWNER",
                "object_type": "MEMBER",
                "xroad_instance": "AA",
            },
            "name": "TS1 Owner",
        },
    ]
    xml_body, _ = list_clients(conf, None, None)
    root = ET.fromstring(xml_body)
    last = root.findall(f"{XRD}member")[1]
    assert [child.tag for child in last] == [f"{XRD}id", f"{XRD}name", f"{XRD}subsystemName"]
    assert [child.tag for child in last.find(f"{XRD}id")] == [  # type: ignore[union-attr]
        f"{ID}xRoadInstance",
        f"{ID}memberClass",
        f"{ID}memberCode",
        f"{ID}subsystemCode",
    ]


def test_pr_mrest_annex_b1_path_parameters_become_globs() -> None:
    """pr-mrest Annex B.1: OpenAPI path parameters are listed as * (/pet/{petId} → /pet/*)."""
    document = read_openapi(
        b"openapi: 3.0.0\npaths:\n"
        b"  /pet: {put: {}, post: {}}\n"
        b"  /pet/findByStatus: {get: {}}\n"
        b"  /pet/{petId}: {get: {}, post: {}, delete: {}}\n"
        b"  /pet/{petId}/uploadImage: {post: {}}\n"
    )
    assert [(rule.method, rule.path) for rule in document.endpoints] == [
        ("PUT", "/pet"),
        ("POST", "/pet"),
        ("GET", "/pet/findByStatus"),
        ("GET", "/pet/*"),
        ("POST", "/pet/*"),
        ("DELETE", "/pet/*"),
        ("POST", "/pet/*/uploadImage"),
    ]
