"""Canonical encoding and strict decoding of the global configuration."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tunduk.globalconf import (
    FORMAT,
    ConfigurationAnchor,
    ConfigurationFormatError,
    GlobalConfiguration,
    RevokedSerial,
    SignedConfiguration,
    build,
    decode,
    encode,
    next_version,
)
from tunduk.globalconf._reader import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_ITEMS

from .conftest import NOW

MakeConf = Callable[..., GlobalConfiguration]


def test_round_trip(make_conf: MakeConf) -> None:
    """decode(encode(conf)) gives back an equal configuration."""
    conf = make_conf()
    assert decode(encode(conf)) == conf


def test_bytes_are_deterministic_whatever_the_input_order(make_conf: MakeConf) -> None:
    """Shuffled lists and settings encode to the same bytes: sorted keys, no spaces."""
    conf = make_conf()
    shuffled = replace(
        conf,
        members=list(reversed(conf.members)),
        gateways=list(reversed(conf.gateways)),
        grants=list(reversed(conf.grants)),
        settings=dict(reversed(list(conf.settings.items()))),
    )
    data = encode(conf)
    assert encode(shuffled) == data
    document = json.loads(data)
    assert document["format"] == FORMAT
    assert list(document) == sorted(document)
    assert data == json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def test_timestamps_are_utc_whole_seconds(make_conf: MakeConf) -> None:
    """generated_at and expires_at are written as ``YYYY-MM-DDTHH:MM:SSZ``, 10 minutes apart."""
    document = json.loads(encode(make_conf(now=NOW + timedelta(microseconds=5))))
    assert document["generated_at"] == "2025-06-02T09:30:00Z"
    assert document["expires_at"] == "2025-06-02T09:40:00Z"


def test_non_ascii_names_survive(make_conf: MakeConf) -> None:
    """Names in Kyrgyz are written as UTF-8 and read back unchanged."""
    conf = make_conf()
    member = replace(conf.members[0], name="Санарип өнүктүрүү министрлиги")
    kyrgyz = replace(conf, members=[member, *conf.members[1:]])
    data = encode(kyrgyz)
    assert "Санарип".encode() in data
    assert decode(data).members == decode(encode(kyrgyz)).members


def test_next_version() -> None:
    """Versions start at 1 and increase by one."""
    assert next_version(None) == 1
    assert next_version(41) == 42


def test_build_refuses_non_positive_validity() -> None:
    """A configuration that would be born expired is refused."""
    with pytest.raises(ConfigurationFormatError, match="validity: must be positive"):
        build("KG", 1, members=[], gateways=[], validity=timedelta(0), now=NOW)


def test_encode_refuses_an_invalid_configuration(make_conf: MakeConf) -> None:
    """encode validates first, so central cannot sign what gateways would reject."""
    conf = make_conf()
    with pytest.raises(ConfigurationFormatError, match=r"^instance: forbidden character ' '"):
        encode(replace(conf, instance="K G"))


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _duplicate_member(document: dict[str, Any]) -> None:
    document["members"].append(dict(document["members"][0]))


# In canonical order: members[0] is COM/12345678, members[1] is GOV/70000001 with subsystems
# [population-registry, portal]; gateways[0] is COM's; grants[0] is the endpoint grant to
# KG/COM/12345678/billing, grants[1] the whole-service grant to the group KG/ministries.
BAD_DOCUMENTS = [
    (
        _set(["members", 1, "subsystems", 0, "subsystem_code"], "a/b"),
        "members[1].subsystems[0].subsystem_code: forbidden character '/'",
    ),
    (_set(["format"], "tunduk-globalconf/3"), "format: unsupported format"),
    (_set(["instance"], ""), "instance: must not be empty"),
    (_set(["version"], "7"), "version: must be an integer"),
    (_set(["version"], True), "version: must be an integer"),
    (_set(["version"], 0), "version: must be between 1 and"),
    (_set(["generated_at"], "2025-06-02 09:30"), "generated_at: must look like"),
    (_set(["expires_at"], "2025-02-30T00:00:00Z"), "expires_at: '2025-02-30T00:00:00Z' is not"),
    (_set(["expires_at"], "2025-06-02T09:30:00Z"), "expires_at: must be later than generated"),
    (_set(["members"], {}), "members: must be a list"),
    (_set(["members", 0, "status"], "banned"), "members[0].status: must be 'active' or"),
    (_delete(["members", 0, "name"]), "members[0].name: is required"),
    (_set(["members", 0, "name"], "a\x00b"), "members[0].name: contains the control character"),
    (_set(["members", 0, "colour"], "red"), "members[0].colour: unknown field"),
    (_set(["members", 1, "member_code"], "70 01"), "members[1].member_code: forbidden char"),
    (_duplicate_member, "members[2]: duplicate member 'COM/12345678' (also members[0])"),
    (
        _set(["members", 1, "subsystems", 1, "subsystem_code"], "population-registry"),
        "members[1].subsystems[1]: duplicate subsystem",
    ),
    (_set(["gateways", 0, "address"], "http://x"), "gateways[0].address: must be host or"),
    (_set(["gateways", 0, "address"], "host:99999"), "gateways[0].address: bad port"),
    (_set(["gateways", 0, "address"], "bad_host"), "gateways[0].address: 'bad_host' is not"),
    (
        _set(["gateways", 1, "auth_cert_sha256", 0], "AB" * 32),
        "gateways[1].auth_cert_sha256[0]: must be 64 lowercase hex digits",
    ),
    (
        _set(["gateways", 1, "auth_cert_sha256", 0], "ef" * 32),
        "gateways[1].auth_cert_sha256[0]: already used by gateways[0]",
    ),
    (_set(["gateways", 0, "member_code"], "999"), "gateways[0]: owner KG/COM/999 is not among"),
    (
        _set(["approved_cas", 0, "certificate_pem"], "nope"),
        "approved_cas[0].certificate_pem: is not a PEM X.509 certificate",
    ),
    (_set(["approved_cas", 0, "crl_url"], 5), "approved_cas[0].crl_url: must be a string"),
    (_delete(["approved_cas", 0, "revoked"]), "approved_cas[0].revoked: is required"),
    (
        _set(
            ["approved_cas", 0, "revoked"],
            [{"serial": "00ab", "revoked_at": "2025-06-02T09:00:00Z"}],
        ),
        "approved_cas[0].revoked[0].serial: must be 1 to 40 lowercase hex digits",
    ),
    (
        _set(
            ["approved_cas", 0, "revoked"], [{"serial": "AB", "revoked_at": "2025-06-02T09:00:00Z"}]
        ),
        "approved_cas[0].revoked[0].serial: must be 1 to 40 lowercase hex digits",
    ),
    (
        _set(
            ["approved_cas", 0, "revoked"], [{"serial": "ab", "revoked_at": "2025-06-02T09:31:00Z"}]
        ),
        "approved_cas[0].revoked[0].revoked_at: must not be later than generated_at",
    ),
    (
        _set(
            ["approved_cas", 0, "revoked"],
            [
                {"serial": "ab", "revoked_at": "2025-06-02T09:00:00Z"},
                {"serial": "ab", "revoked_at": "2025-06-02T09:10:00Z"},
            ],
        ),
        "approved_cas[0].revoked[1]: duplicate serial 'ab'",
    ),
    (_set(["approved_tsas", 0, "url"], "ftp://tsa"), "approved_tsas[0].url: must be an absolute"),
    (_set(["groups", 0, "code"], "min/istries"), "groups[0].code: forbidden character '/'"),
    (_set(["groups", 0, "members", 0], "KG/GOV"), "groups[0].members[0]: needs 3 or 4 parts"),
    (
        _set(["groups", 0, "members", 0], "KG/GOV/404"),
        "groups[0].members[0]: member KG/GOV/404 is not declared",
    ),
    (
        _set(["grants", 0, "client"], "KG/COM/12345678"),
        "grants[0].client: must be a subsystem or a group INSTANCE/GROUPCODE",
    ),
    (_set(["grants", 1, "client"], "KG/nobody"), "grants[1].client: group KG/nobody is not"),
    (
        _set(["grants", 0, "service"], "KG/GOV/70000001/missing/persons"),
        "grants[0].service: subsystem KG/GOV/70000001/missing is not declared",
    ),
    (
        _set(["grants", 0, "service"], "EE/GOV/70000001/population-registry/persons"),
        "grants[0].service: must be a service of instance KG",
    ),
    (_set(["grants", 0, "endpoint_method"], "FETCH"), "grants[0].endpoint_method: must be one of"),
    (
        _set(["grants", 0, "endpoint_path"], "/persons/../admin"),
        "grants[0].endpoint_path: must not contain '.' or '..'",
    ),
    (_set(["grants", 0, "endpoint_path"], None), "grants[0]: endpoint_method and endpoint_path"),
    (_set(["settings", "bad key"], "1"), "settings.bad key: keys use only"),
    (_set(["settings", "x"], 1), "settings.x: must be a string"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD_DOCUMENTS, ids=[m for _, m in BAD_DOCUMENTS])
def test_every_validation_error_names_its_path(
    make_conf: MakeConf, mutate: Callable[[dict[str, Any]], None], message: str
) -> None:
    """A broken field is reported with its path and the rule it breaks."""
    document = json.loads(encode(make_conf()))
    mutate(document)
    with pytest.raises(ConfigurationFormatError) as caught:
        decode(json.dumps(document).encode())
    assert str(caught.value).startswith(message), str(caught.value)
    assert caught.value.path == message.split(":")[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff", "document: not UTF-8"),
        (b"{", "document: not JSON"),
        (b"[]", "document: must be an object"),
        (b'{"format":1,"format":2}', "document: duplicate key 'format'"),
        (b'{"version":NaN}', "document: NaN is not allowed"),
        (b'{"format":"tunduk-globalconf/1"}', "approved_cas: is required"),
    ],
)
def test_malformed_documents_are_refused(data: bytes, message: str) -> None:
    """Bytes that are not a single unambiguous JSON object are refused."""
    with pytest.raises(ConfigurationFormatError, match="^" + message.replace("(", r"\(")):
        decode(data)


def test_decode_returns_canonical_order(make_conf: MakeConf) -> None:
    """A document whose lists are in another order decodes to the canonical order."""
    conf = make_conf()
    document = json.loads(encode(conf))
    random.Random(4).shuffle(document["members"])
    document["members"].reverse()
    assert decode(json.dumps(document).encode()) == conf


def test_revoked_serials_round_trip_in_numeric_order(make_conf: MakeConf) -> None:
    """Issue 7 (6): each CA lists its revoked serials with their times, sorted by value."""
    at = NOW - timedelta(hours=1)
    conf = make_conf(revoked=[RevokedSerial("1f", at), RevokedSerial("a", at)])
    document = json.loads(encode(conf))
    assert document["format"] == "tunduk-globalconf/2"
    assert document["approved_cas"][0]["revoked"] == [
        {"revoked_at": "2025-06-02T08:30:00Z", "serial": "a"},
        {"revoked_at": "2025-06-02T08:30:00Z", "serial": "1f"},
    ]
    assert decode(encode(conf)).approved_cas[0].revoked == [
        RevokedSerial("a", at),
        RevokedSerial("1f", at),
    ]


def test_format_1_documents_stay_readable(make_conf: MakeConf) -> None:
    """Issue 7 (6): a tunduk-globalconf/1 document (no revoked lists) decodes with none revoked."""
    document = json.loads(encode(make_conf()))
    document["format"] = "tunduk-globalconf/1"
    for ca in document["approved_cas"]:
        del ca["revoked"]
    assert decode(json.dumps(document).encode()) == make_conf()
    document["approved_cas"][0]["revoked"] = []
    with pytest.raises(ConfigurationFormatError, match=r"approved_cas\[0\].revoked: unknown field"):
        decode(json.dumps(document).encode())


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deeply_nested_documents_are_refused(depth: int) -> None:
    """Issue 7 (1): nesting deeper than the limit is a format error, never a RecursionError."""
    data = b'{"settings":{"x":' + b"[" * depth + b"]" * depth + b"}}"
    for parse in (decode, SignedConfiguration.from_bytes, ConfigurationAnchor.from_bytes):
        with pytest.raises(ConfigurationFormatError, match="nested deeper than"):
            parse(data)


def test_oversized_documents_are_refused_unparsed() -> None:
    """Issue 7 (1): a document over the size limit is refused before it is parsed."""
    data = b'{"settings":{"x":"' + b"a" * MAX_DOCUMENT_BYTES + b'"}}'
    with pytest.raises(ConfigurationFormatError, match="larger than"):
        decode(data)


def test_documents_with_too_many_values_are_refused() -> None:
    """Issue 7 (1): a document holding more values than the limit is refused."""
    data = b'{"settings":{"x":[' + b",".join([b"0"] * MAX_ITEMS) + b"]}}"
    with pytest.raises(ConfigurationFormatError, match="more than"):
        decode(data)


def test_numbers_that_overflow_to_infinity_are_refused() -> None:
    """Issue 7 (1): a number too large for a float (it would read as infinity) is refused."""
    with pytest.raises(ConfigurationFormatError, match="not finite"):
        decode(b'{"version":1e999}')


def test_integers_with_too_many_digits_are_a_format_error() -> None:
    """Issue 7 (1): a 5,000-digit integer is a format error, not a bare ValueError escaping the client."""
    data = b'{"version":' + b"1" * 5000 + b"}"
    for parse in (decode, SignedConfiguration.from_bytes, ConfigurationAnchor.from_bytes):
        with pytest.raises(ConfigurationFormatError, match="not JSON"):
            parse(data)
