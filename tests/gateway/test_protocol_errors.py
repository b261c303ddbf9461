"""The gateway's error codes, status rule and error bodies (X-Road REST r1 §4.4)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import orjson
import pytest

from tunduk.gateway._errors import Code, GatewayError, error_body, wants_xml


@pytest.mark.parametrize("code", list(Code))
def test_status_follows_the_code_family(code: Code) -> None:
    """REST §4.4: a code starting with "Server." gives 500, any other 400."""
    error = GatewayError(code, "refused")
    assert error.status == (500 if code.value.startswith("Server.") else 400)
    assert error.code == code.value


def test_every_code_is_in_an_x_road_family() -> None:
    """XROAD-PROTOCOL: codes are Client.*, Server.ClientProxy.* or Server.ServerProxy.*."""
    families = ("Client.", "Server.ClientProxy.", "Server.ServerProxy.")
    assert all(code.value.startswith(families) for code in Code)
    assert len({code.value for code in Code}) == len(Code)


def test_json_body_is_the_spec_shape() -> None:
    """REST §4.4: {"type", "message", "detail"} as JSON by default."""
    error = GatewayError(Code.ACCESS_DENIED, "Access denied")
    body, content_type = error_body(error, "4b0c2a0e-2a8e-4d0c-9a55-6c1f3b6c0b7e", None)
    assert content_type.startswith("application/json")
    assert orjson.loads(body) == {
        "type": "Server.ServerProxy.AccessDenied",
        "message": "Access denied",
        "detail": "4b0c2a0e-2a8e-4d0c-9a55-6c1f3b6c0b7e",
    }


def test_xml_body_when_asked_and_escaped() -> None:
    """REST §4.4 (respect Accept): <error><type/><message/><detail/></error>, text escaped."""
    error = GatewayError(Code.CLIENT_BAD_REQUEST, "bad <path> & </error>")
    body, content_type = error_body(error, "id-1", "text/xml")
    assert content_type.startswith("text/xml")
    root = ET.fromstring(body)
    assert root.tag == "error"
    assert [child.tag for child in root] == ["type", "message", "detail"]
    assert root.findtext("type") == "Client.BadRequest"
    assert root.findtext("message") == "bad <path> & </error>"
    assert root.findtext("detail") == "id-1"


@pytest.mark.parametrize(
    ("accept", "xml"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/xml", True),
        ("application/xml", True),
        ("application/json, text/xml", False),
        ("text/xml, application/json", True),
        ("application/json;q=0.5, text/xml", True),
        ("text/xml;q=0, application/json", False),
        ("text/xml;q=0", False),
        ("text/xml;q=nan", False),
        ("text/xml;q=abc", False),
        ("application/json;q=2, text/xml;q=0.1", True),
    ],
)
def test_accept_negotiation(accept: str | None, xml: bool) -> None:
    """REST §4.4: JSON is the default; XML only when Accept prefers it (q-values weighed)."""
    assert wants_xml(accept) is xml


def test_hostile_accept_is_cheap() -> None:
    """An attacker's Accept with a million ranges is read only in its first 32 ranges."""
    accept = "application/json," * 100_000 + "text/xml"
    assert wants_xml(accept) is False
