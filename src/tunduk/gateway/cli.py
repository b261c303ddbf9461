"""The ``tunduk gateway`` command: ``init``, ``install-certificate``, ``serve``, ``status``,
``traffic``, ``archive``, ``maintenance``.

A thin shell over the library: the Django management command
``tunduk.site.management.commands.gateway`` hands its arguments to :func:`main`, which
needs no Django. Errors are printed as one line naming the file and the rule, with exit
status 2 for a bad configuration file and 1 for anything else refused. Every action
takes ``--language ky|ru|en`` for what it prints (the server's log stays English).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._words import WordedError, add_language_option, say
from .config import ConfigError, GatewayConfig, load_config

__all__ = ["main"]

NEXT_STEPS = """\
Next steps:
  1. Submit both requests to the Catalog (your gateway's page, "Certificates"):
     %(auth_csr)s (TLS authentication) and %(sign_csr)s (message signing).
  2. When the CA has issued them, install each certificate:
       tunduk gateway install-certificate --config %(config)s CERT.pem
  3. Once central lists the authentication certificate in the global configuration:
       tunduk gateway serve --config %(config)s
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunduk gateway",
        description="Run and administer this organisation's Tunduk gateway (security server).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (
        ("init", "create the keys and the certificate requests (CSRs)"),
        ("install-certificate", "install a certificate the CA issued for one of the keys"),
        ("serve", "run the gateway until SIGTERM or Ctrl-C"),
        ("status", "configuration, certificates, journal and peers at a glance"),
        ("maintenance", "refuse messages from peers while the gateway is serviced, or stop"),
        ("traffic", "recent exchanges from the journal: counts per client and service, failures"),
        ("archive", "copy the journal into one verified file for long-term keeping"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("--config", type=Path, required=True, help="the gateway's TOML file")
        if name == "install-certificate":
            action.add_argument("certificate", type=Path, help="the certificate (PEM)")
        if name == "archive":
            action.add_argument(
                "-o", "--output", type=Path, required=True, help="the archive (a new file)"
            )
        add_language_option(action)
        if name in ("status", "traffic"):
            action.add_argument("--json", action="store_true", help="print JSON")
        if name == "traffic":
            action.add_argument(
                "--last", type=int, default=10_000, help="journal entries to read (default 10000)"
            )
            action.add_argument(
                "--failures", type=int, default=20, help="recent failures to list (default 20)"
            )
        if name == "maintenance":
            action.add_argument("state", choices=("on", "off"), help="begin or end maintenance")
            action.add_argument(
                "--message",
                default="",
                help="told to peers in their error (at most 200 characters)",
            )
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run ``tunduk gateway ARGV``; return the exit status."""
    out = out or sys.stdout
    arguments = _parser().parse_args(list(sys.argv[2:] if argv is None else argv))
    language = arguments.language
    try:
        config = load_config(arguments.config)
    except ConfigError as error:
        print(f"{arguments.config}: {error.told(language)}", file=sys.stderr)
        return 2
    except OSError as error:
        said = say(language, "cannot read %(path)s: %(reason)s")
        print(said % {"path": arguments.config, "reason": error.strerror or error}, file=sys.stderr)
        return 2
    try:
        return _run(arguments, config, out)
    except WordedError as error:
        print(f"tunduk gateway {arguments.action}: {error.told(language)}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"tunduk gateway {arguments.action}: {error}", file=sys.stderr)
        return 1


def _run(arguments: argparse.Namespace, config: GatewayConfig, out: TextIO) -> int:
    language = arguments.language
    if arguments.action == "init":
        return _init(config, arguments.config, out, language)
    if arguments.action == "install-certificate":
        from .keys import install_certificate

        path = install_certificate(config, arguments.certificate.read_bytes())
        print(say(language, "installed %(path)s") % {"path": path}, file=out)
        return 0
    if arguments.action == "status":
        from .status import print_status

        return print_status(config, out, as_json=arguments.json, language=arguments.language)
    if arguments.action == "archive":
        return _archive(config, arguments.output, out, language)
    if arguments.action == "traffic":
        from .traffic import print_traffic

        return print_traffic(
            config,
            out,
            last=arguments.last,
            failures=arguments.failures,
            as_json=arguments.json,
            language=arguments.language,
        )
    if arguments.action == "maintenance":
        return _maintenance(config, arguments.state, arguments.message, out, language)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from .runtime import serve

    serve(config)
    return 0


def _init(config: GatewayConfig, config_path: Path, out: TextIO, language: str) -> int:
    from .keys import init_keys

    written = init_keys(config)
    for path in written:
        print(say(language, "wrote %(path)s") % {"path": path}, file=out)
    steps = {
        "auth_csr": config.keys_dir / "auth.csr",
        "sign_csr": config.keys_dir / "sign.csr",
        "config": config_path,
    }
    print(say(language, NEXT_STEPS) % steps, file=out, end="")
    return 0


def _maintenance(
    config: GatewayConfig, state: str, message: str, out: TextIO, language: str
) -> int:
    from .maintenance import CHECK_INTERVAL, begin_maintenance, end_maintenance

    fields: dict[str, object] = {"server": config.server}
    if state == "on":
        maintenance = begin_maintenance(config, message)
        fields.update(
            since=maintenance.since_text,
            message=maintenance.message,
            seconds=f"{CHECK_INTERVAL:g}",
        )
        said = (
            say(
                language,
                "%(server)s is in maintenance since %(since)s: %(message)s; a running gateway"
                " refuses messages from peers within %(seconds)s s",
            )
            if maintenance.message
            else say(
                language,
                "%(server)s is in maintenance since %(since)s; a running gateway refuses"
                " messages from peers within %(seconds)s s",
            )
        )
    elif end_maintenance(config):
        said = say(language, "%(server)s: maintenance ended")
    else:
        said = say(language, "%(server)s was not in maintenance")
    print(said % fields, file=out)
    return 0


def _archive(config: GatewayConfig, target: Path, out: TextIO, language: str) -> int:
    from .archive import archive_journal

    archived = archive_journal(config, target)
    audit = archived.audit
    report = audit.log
    if not audit.ok:
        said = say(language, "archived to %(path)s, but the copy does not hold:")
        print(said % {"path": target}, file=sys.stderr)
        for failure in audit.all_failures():  # the audit's own findings, in English
            print(f"  {failure}", file=sys.stderr)
        return 1
    said = say(
        language,
        "archived the journal of %(server)s to %(path)s (readable by the owner only) and"
        " verified it: %(entries)s entries, %(checkpoints)s checkpoints (%(timestamps)s"
        " time-stamped, %(cosignatures)s peer cosignatures), %(bodies)s bodies (%(erased)s"
        " erased)\nverify it again: tunduk journal verify --gateway-config %(config)s"
        " --journal %(path)s",
    )
    fields = {
        "server": config.server,
        "path": target,
        "entries": report.tree_size,
        "checkpoints": report.checkpoints_checked,
        "timestamps": report.timestamps_checked,
        "cosignatures": audit.cosignatures_checked,
        "bodies": audit.bodies_checked,
        "erased": audit.bodies_erased,
        "config": config.path,
    }
    print(said % fields, file=out)
    return 0
