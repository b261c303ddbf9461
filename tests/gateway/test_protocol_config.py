"""The gateway's configuration file: strict TOML, each key checked (GATEWAY-CONTRACT, issue 9 §1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tunduk.gateway.config import (
    MAX_CONFIG_BYTES,
    ConfigError,
    GatewayConfig,
    load_config,
    parse_listen,
)

SECTIONS: dict[str, dict[str, object]] = {
    "identity": {
        "instance": "KG",
        "member_class": "GOV",
        "member_code": "70000004",
        "server_code": "ss1",
    },
    "keys": {"dir": "keys"},
    "central": {"url": "http://127.0.0.1:8000/globalconf/", "anchor": "anchor.json"},
    "listen": {"client": "127.0.0.1:8080", "server": "127.0.0.1:5504"},
    "journal": {
        "url": "sqlite:///journal.sqlite3",
        "retention_days": 180,
        "checkpoint_interval": 60,
        "tsa_url": "http://127.0.0.1:8318/",
    },
    "limits": {
        "max_body_bytes": 10485760,
        "backend_timeout": 30,
        "peer_timeout": 30,
        "max_connections": 100,
    },
    "data": {"dir": "data"},
}
SERVICE: dict[str, object] = {
    "subsystem": "population",
    "code": "person-by-pin",
    "url": "http://127.0.0.1:9001/",
    "openapi": "person-by-pin.yaml",
}


def _value(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return repr(value)


def render(sections: dict[str, dict[str, object]], services: list[dict[str, object]]) -> str:
    """TOML text for the given tables and [[services]]."""
    lines: list[str] = []
    for name, table in sections.items():
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {_value(value)}" for key, value in table.items())
    for service in services:
        lines.append("[[services]]")
        lines.extend(f"{key} = {_value(value)}" for key, value in service.items())
    return "\n".join(lines) + "\n"


def write(
    directory: Path,
    *,
    change: dict[str, object] | None = None,
    services: list[dict[str, object]] | None = None,
) -> Path:
    """Write a configuration, with ``change`` as {"table.key": value or None to drop}."""
    sections = {name: dict(table) for name, table in SECTIONS.items()}
    for dotted, value in (change or {}).items():
        table, key = dotted.split(".", 1)
        if value is None:
            sections.setdefault(table, {}).pop(key, None)
        else:
            sections.setdefault(table, {})[key] = value
    path = directory / "gateway.toml"
    path.write_text(render(sections, [SERVICE] if services is None else services))
    return path


def error_of(directory: Path, **kwargs: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(directory, **kwargs))  # type: ignore[arg-type]
    return caught.value


def test_contract_example_loads(tmp_path: Path) -> None:
    """The contract's example file reads into every field, paths against the file's directory."""
    config = load_config(write(tmp_path))
    assert isinstance(config, GatewayConfig)
    assert str(config.member) == "KG/GOV/70000004"
    assert str(config.server) == "KG/GOV/70000004/ss1"
    assert config.keys_dir == tmp_path / "keys"
    assert config.anchor == tmp_path / "anchor.json"
    assert config.data_dir == tmp_path / "data"
    assert config.journal_url == f"sqlite://{tmp_path}/journal.sqlite3"
    assert config.journal_sqlite_path == tmp_path / "journal.sqlite3"
    assert config.tsa_url == "http://127.0.0.1:8318/"
    assert config.checkpoint_interval == 60.0
    assert config.max_body_bytes == 10485760
    assert config.status_report_url is None
    (service,) = config.services
    assert service.openapi == tmp_path / "person-by-pin.yaml"
    assert service.service_type == "OPENAPI"
    assert service.timeout == 30.0
    assert config.service("population", "person-by-pin") is service
    assert config.service("population", "other") is None
    assert str(config.service_id(service)) == "KG/GOV/70000004/population/person-by-pin"


def test_relative_path_resolves_against_file_not_cwd(tmp_path: Path) -> None:
    """Relative paths resolve against the configuration file's directory, whatever the cwd."""
    path = write(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    previous = Path.cwd()
    os.chdir(other)
    try:
        config = load_config(Path(os.path.relpath(path, other)))
    finally:
        os.chdir(previous)
    assert config.keys_dir == tmp_path / "keys"
    assert config.path == path


def test_defaults_when_optional_tables_absent(tmp_path: Path) -> None:
    """Only identity and central are required; the rest take documented defaults."""
    path = tmp_path / "gateway.toml"
    sections = {"identity": SECTIONS["identity"], "central": SECTIONS["central"]}
    path.write_text(render(sections, []))
    config = load_config(path)
    assert config.client_listen == "127.0.0.1:8080"
    assert config.server_listen == "0.0.0.0:5500"
    assert config.journal_url == f"sqlite://{tmp_path}/journal.sqlite3"
    assert config.journal_retention_days == 180
    assert config.tsa_url is None
    assert config.max_connections == 100
    assert config.services == ()


def test_service_type_and_timeout(tmp_path: Path) -> None:
    """A service without OpenAPI is REST; its timeout defaults to limits.backend_timeout."""
    services = [
        {"subsystem": "a", "code": "x", "url": "https://backend.example/api"},
        {"subsystem": "a", "code": "y", "url": "http://[::1]:9000/", "timeout": 2.5},
    ]
    config = load_config(write(tmp_path, change={"limits.backend_timeout": 7}, services=services))
    assert [s.service_type for s in config.services] == ["REST", "REST"]
    assert [s.timeout for s in config.services] == [7.0, 2.5]


def test_absolute_sqlite_and_postgresql_urls(tmp_path: Path) -> None:
    """journal.url: sqlite:////ABS stays absolute; postgresql:// is kept as written."""
    config = load_config(write(tmp_path, change={"journal.url": "sqlite:////var/j.sqlite3"}))
    assert config.journal_url == "sqlite:///var/j.sqlite3"
    url = "postgresql://postgres@127.0.0.1:5432/tunduk_gwproto"
    config = load_config(write(tmp_path, change={"journal.url": url}))
    assert config.journal_url == url
    assert config.journal_sqlite_path is None


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"identity.instance": None}, "identity.instance", "is required"),
        ({"identity.member_code": "70 04"}, "identity.member_code", "forbidden character"),
        ({"identity.member_class": "G/V"}, "identity.member_class", "forbidden character"),
        ({"identity.server_code": "x" * 256}, "identity.server_code", "longer than 255"),
        ({"identity.instance": 7}, "identity.instance", "must be a string"),
        ({"identity.colour": "blue"}, "identity.colour", "not a known key"),
        ({"central.url": "ftp://central/"}, "central.url", "http:// or https://"),
        ({"central.url": "http:///nohost"}, "central.url", "must name a host"),
        ({"central.url": "http://h:99999/"}, "central.url", "not a valid URL"),
        ({"central.anchor": None}, "central.anchor", "is required"),
        ({"central.anchor": ""}, "central.anchor", "1 to 4096"),
        ({"central.status_report_url": "file:///etc/passwd"}, "central.status_report_url", "http"),
        ({"listen.client": "8080"}, "listen.client", "HOST:PORT"),
        ({"listen.server": "0.0.0.0:70000"}, "listen.server", "0 to 65535"),
        ({"listen.server": "0.0.0.0:-1"}, "listen.server", "HOST:PORT"),
        ({"journal.url": "mysql://x"}, "journal.url", "sqlite:/// or postgresql://"),
        ({"journal.url": "sqlite:///"}, "journal.url", "must name a file"),
        ({"journal.retention_days": 0}, "journal.retention_days", "from 1 to 36500"),
        ({"journal.retention_days": 1.5}, "journal.retention_days", "must be an integer"),
        ({"journal.retention_days": True}, "journal.retention_days", "must be an integer"),
        ({"journal.checkpoint_interval": 0.5}, "journal.checkpoint_interval", "from 1 to 86400"),
        ({"journal.tsa_url": "tsa"}, "journal.tsa_url", "http:// or https://"),
        ({"limits.max_body_bytes": 0}, "limits.max_body_bytes", "from 1 to"),
        ({"limits.max_body_bytes": 2**31}, "limits.max_body_bytes", "from 1 to"),
        ({"limits.backend_timeout": "30"}, "limits.backend_timeout", "must be a number"),
        ({"limits.peer_timeout": 1e9}, "limits.peer_timeout", "from 0.1 to 3600"),
        ({"limits.max_conections": 5}, "limits.max_conections", "not a known key"),
        ({"unknown.key": 1}, "unknown", "not a known key"),
    ],
)
def test_each_rule_names_its_field(
    tmp_path: Path, change: dict[str, object], field: str, words: str
) -> None:
    """Every broken key is refused with ConfigError naming the key and the rule."""
    error = error_of(tmp_path, change=change)
    assert error.field == field
    assert words in error.message
    assert str(error).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("service", "field", "words"),
    [
        ({"subsystem": "pop/x"}, "services[0].subsystem", "forbidden character"),
        ({"code": "listMethods"}, "services[0].code", "reserved"),
        ({"code": "getOpenAPI"}, "services[0].code", "reserved"),
        ({"url": "javascript:alert(1)"}, "services[0].url", "http"),
        ({"url": "http://h/#frag"}, "services[0].url", "no fragment"),
        ({"type": "SOAP"}, "services[0].type", "one of REST, OPENAPI"),
        ({"timeout": 0}, "services[0].timeout", "from 0.1"),
        ({"extra": 1}, "services[0].extra", "not a known key"),
        ({"url": "http://h/api?key=1"}, "services[0].url", "no query"),
    ],
)
def test_service_rules(tmp_path: Path, service: dict[str, object], field: str, words: str) -> None:
    """[[services]]: codes checked with tunduk.identifiers, reserved codes and bad URLs refused."""
    error = error_of(tmp_path, services=[{**SERVICE, **service}])
    assert (error.field, words in error.message) == (field, True)


def test_duplicate_service_refused(tmp_path: Path) -> None:
    """One subsystem/code pair maps to one backend: a second entry is refused."""
    error = error_of(tmp_path, services=[SERVICE, SERVICE])
    assert error.field == "services[1].code"
    assert "twice" in error.message


def test_structure_errors(tmp_path: Path) -> None:
    """A table given as a value and services given as a table are refused by name."""
    path = tmp_path / "gateway.toml"
    path.write_text('identity = "KG"\n')
    with pytest.raises(ConfigError, match=r"^identity: must be a table"):
        load_config(path)
    path.write_text("services = 3\n" + render(SECTIONS, []))
    with pytest.raises(ConfigError, match=r"^services: must be an array of tables"):
        load_config(path)


def test_file_errors(tmp_path: Path) -> None:
    """A missing, oversized, non-UTF-8 or non-TOML file is refused with the rule, no traceback."""
    with pytest.raises(ConfigError, match=r"^file: cannot be read"):
        load_config(tmp_path / "missing.toml")
    path = tmp_path / "gateway.toml"
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(ConfigError, match="larger than"):
        load_config(path)
    path.write_bytes(b"\xff\xfe = 1")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)
    path.write_text("[identity\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_too_many_services_refused(tmp_path: Path) -> None:
    """An attacker-sized services list is refused before any entry is built."""
    from tunduk.gateway.config import MAX_SERVICES

    path = tmp_path / "gateway.toml"
    entry = '[[services]]\nsubsystem="a"\ncode="c"\nurl="http://h/"\n'
    path.write_text(render(SECTIONS, []) + entry * (MAX_SERVICES + 1))
    with pytest.raises(ConfigError, match=r"^services: must hold at most"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8080", ("127.0.0.1", 8080)),
        ("0.0.0.0:0", ("0.0.0.0", 0)),
        ("[::1]:5500", ("::1", 5500)),
        ("localhost:65535", ("localhost", 65535)),
    ],
)
def test_parse_listen(text: str, expected: tuple[str, int]) -> None:
    """Listen addresses are HOST:PORT ([IPV6]:PORT); port 0 lets the system choose."""
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", [":80", "host:", "host:８０", "a b:80", "host", "[::1]"])
def test_parse_listen_refuses(text: str) -> None:
    """A listen address without host or ASCII port, or with spaces, is refused."""
    with pytest.raises(ConfigError):
        parse_listen(text, "listen.client")


def test_config_can_be_copied_with_replace(tmp_path: Path) -> None:
    """dataclasses.replace keeps the service index in step with the services (tests, runtime)."""
    import dataclasses

    config = load_config(write(tmp_path))
    copy = dataclasses.replace(config, services=())
    assert copy.service("population", "person-by-pin") is None
    assert config.service("population", "person-by-pin") is not None
    assert copy == dataclasses.replace(config, services=())


def test_listeners_must_differ(tmp_path: Path) -> None:
    """The two listeners cannot share an address (port 0, chosen by the system, may repeat)."""
    error = error_of(tmp_path, change={"listen.client": "127.0.0.1:5504"})
    assert (error.field, error.message) == ("listen.server", "must differ from listen.client")
    change = {"listen.client": "127.0.0.1:0", "listen.server": "127.0.0.1:0"}
    assert load_config(write(tmp_path, change=change)).server_listen == "127.0.0.1:0"
