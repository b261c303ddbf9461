"""Canonical JSON encoding of the global configuration, and strict decoding.

``encode`` is deterministic: UTF-8, keys sorted, no insignificant white space, every list
in the order :func:`canonical` defines, optional fields written as ``null``. ``decode``
accepts exactly that shape (optional fields may also be absent) and names the path of
the first bad field in :class:`ConfigurationFormatError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ._errors import ConfigurationFormatError
from ._model import (
    FORMAT,
    READABLE_FORMATS,
    ApprovedCa,
    ApprovedTsa,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    Member,
    MemberStatus,
    RevokedSerial,
    Subsystem,
)
from ._reader import Reader, loads_strict
from ._validate import validate

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def canonical(conf: GlobalConfiguration) -> GlobalConfiguration:
    """Return ``conf`` with every list in the canonical order (the order ``encode`` writes)."""
    members = [
        replace(m, subsystems=sorted(m.subsystems, key=lambda s: s.subsystem_code))
        for m in sorted(conf.members, key=lambda m: (m.member_class, m.member_code))
    ]
    gateways = [
        replace(g, auth_cert_sha256=sorted(g.auth_cert_sha256))
        for g in sorted(conf.gateways, key=lambda g: (g.member_class, g.member_code, g.server_code))
    ]
    groups = [
        replace(g, members=sorted(g.members)) for g in sorted(conf.groups, key=lambda g: g.code)
    ]
    grants = sorted(
        conf.grants,
        key=lambda g: (g.service, g.client, g.endpoint_method or "", g.endpoint_path or ""),
    )
    return replace(
        conf,
        members=members,
        gateways=gateways,
        approved_cas=[
            # Shorter hex first, then by digits: numeric order for serials without leading zeros.
            replace(ca, revoked=sorted(ca.revoked, key=lambda r: (len(r.serial), r.serial)))
            for ca in sorted(conf.approved_cas, key=lambda ca: ca.name)
        ],
        approved_tsas=sorted(conf.approved_tsas, key=lambda tsa: tsa.name),
        groups=groups,
        grants=grants,
        settings=dict(sorted(conf.settings.items())),
    )


def encode(conf: GlobalConfiguration) -> bytes:
    """Validate ``conf`` and return its canonical bytes (what central signs)."""
    validate(conf)
    conf = canonical(conf)
    document: dict[str, Any] = {
        "format": FORMAT,
        "instance": conf.instance,
        "version": conf.version,
        "generated_at": format_timestamp(conf.generated_at),
        "expires_at": format_timestamp(conf.expires_at),
        "members": [_member(m) for m in conf.members],
        "gateways": [_dict(g) for g in conf.gateways],
        "approved_cas": [_ca(ca) for ca in conf.approved_cas],
        "approved_tsas": [_dict(tsa) for tsa in conf.approved_tsas],
        "groups": [_dict(g) for g in conf.groups],
        "grants": [_dict(g) for g in conf.grants],
        "settings": conf.settings,
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_timestamp(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    return value.astimezone(UTC).strftime(_TIMESTAMP_FORMAT)


def _member(member: Member) -> dict[str, Any]:
    return {
        "member_class": member.member_class,
        "member_code": member.member_code,
        "name": member.name,
        "status": str(member.status),
        "subsystems": [_dict(s) for s in member.subsystems],
    }


def _ca(ca: ApprovedCa) -> dict[str, Any]:
    return {
        "name": ca.name,
        "certificate_pem": ca.certificate_pem,
        "crl_url": ca.crl_url,
        "revoked": [
            {"serial": r.serial, "revoked_at": format_timestamp(r.revoked_at)} for r in ca.revoked
        ],
    }


def _dict(item: Subsystem | Gateway | ApprovedTsa | GlobalGroup | Grant) -> Any:
    return {name: getattr(item, name) for name in item.__dataclass_fields__}


def decode(data: bytes) -> GlobalConfiguration:
    """Parse and validate a document; returns it with lists in canonical order."""
    root = Reader(loads_strict(data, "document"), "")
    fields = root.object(
        required={
            "format",
            "instance",
            "version",
            "generated_at",
            "expires_at",
            "members",
            "gateways",
            "approved_cas",
            "approved_tsas",
            "groups",
            "grants",
            "settings",
        }
    )
    document_format = fields["format"].string()
    if document_format not in READABLE_FORMATS:
        readable = " or ".join(repr(name) for name in sorted(READABLE_FORMATS))
        raise ConfigurationFormatError("format", f"unsupported format; expected {readable}")
    has_revoked = document_format == FORMAT
    conf = GlobalConfiguration(
        instance=fields["instance"].string(),
        version=fields["version"].integer(),
        generated_at=_timestamp(fields["generated_at"]),
        expires_at=_timestamp(fields["expires_at"]),
        members=[_read_member(r) for r in fields["members"].array()],
        gateways=[_read_gateway(r) for r in fields["gateways"].array()],
        approved_cas=[_read_ca(r, has_revoked) for r in fields["approved_cas"].array()],
        approved_tsas=[_read_tsa(r) for r in fields["approved_tsas"].array()],
        groups=[_read_group(r) for r in fields["groups"].array()],
        grants=[_read_grant(r) for r in fields["grants"].array()],
        settings={key: r.string() for key, r in fields["settings"].mapping().items()},
    )
    validate(conf)
    return canonical(conf)


def _timestamp(reader: Reader) -> datetime:
    value = reader.string()
    if _TIMESTAMP.fullmatch(value) is None:
        raise ConfigurationFormatError(reader.path, "must look like 2025-01-31T12:00:00Z")
    try:
        return datetime.strptime(value, _TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ConfigurationFormatError(reader.path, f"{value!r} is not a real time") from None


def _read_member(reader: Reader) -> Member:
    f = reader.object(required={"member_class", "member_code", "name", "status", "subsystems"})
    status = f["status"].string()
    if status not in tuple(MemberStatus):
        raise ConfigurationFormatError(f["status"].path, "must be 'active' or 'suspended'")
    return Member(
        member_class=f["member_class"].string(),
        member_code=f["member_code"].string(),
        name=f["name"].string(),
        status=MemberStatus(status),
        subsystems=[_read_subsystem(r) for r in f["subsystems"].array()],
    )


def _read_subsystem(reader: Reader) -> Subsystem:
    f = reader.object(required={"subsystem_code", "name"}, optional={"registry_code"})
    return Subsystem(
        subsystem_code=f["subsystem_code"].string(),
        name=f["name"].string(),
        registry_code=f["registry_code"].optional_string(),
    )


def _read_gateway(reader: Reader) -> Gateway:
    f = reader.object(
        required={"server_code", "member_class", "member_code", "address", "auth_cert_sha256"}
    )
    return Gateway(
        server_code=f["server_code"].string(),
        member_class=f["member_class"].string(),
        member_code=f["member_code"].string(),
        address=f["address"].string(),
        auth_cert_sha256=[r.string() for r in f["auth_cert_sha256"].array()],
    )


def _read_ca(reader: Reader, has_revoked: bool) -> ApprovedCa:
    required = {"name", "certificate_pem"} | ({"revoked"} if has_revoked else set())
    f = reader.object(required=required, optional={"crl_url"})
    return ApprovedCa(
        name=f["name"].string(),
        certificate_pem=f["certificate_pem"].string(),
        crl_url=f["crl_url"].optional_string(),
        revoked=[_read_revoked(r) for r in f["revoked"].array()] if has_revoked else [],
    )


def _read_revoked(reader: Reader) -> RevokedSerial:
    f = reader.object(required={"serial", "revoked_at"})
    return RevokedSerial(serial=f["serial"].string(), revoked_at=_timestamp(f["revoked_at"]))


def _read_tsa(reader: Reader) -> ApprovedTsa:
    f = reader.object(required={"name", "url", "certificate_pem"})
    return ApprovedTsa(
        name=f["name"].string(),
        url=f["url"].string(),
        certificate_pem=f["certificate_pem"].string(),
    )


def _read_group(reader: Reader) -> GlobalGroup:
    f = reader.object(required={"code", "description", "members"})
    return GlobalGroup(
        code=f["code"].string(),
        description=f["description"].string(),
        members=[r.string() for r in f["members"].array()],
    )


def _read_grant(reader: Reader) -> Grant:
    f = reader.object(required={"service", "client"}, optional={"endpoint_method", "endpoint_path"})
    return Grant(
        service=f["service"].string(),
        client=f["client"].string(),
        endpoint_method=f["endpoint_method"].optional_string(),
        endpoint_path=f["endpoint_path"].optional_string(),
    )
