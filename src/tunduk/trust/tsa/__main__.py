"""Run the development TSA: ``python -m tunduk.trust.tsa --port N --state-dir DIR``.

The keys and certificates live in DIR (created on first run, reused afterwards), so
tokens stay verifiable across restarts against DIR/root.pem.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from tunduk.trust.tsa._authority import TimeStampAuthority
from tunduk.trust.tsa._http import make_server


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m tunduk.trust.tsa", description="Development RFC 3161 TSA."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=3161, help="port to bind (3161)")
    parser.add_argument(
        "--state-dir", type=Path, required=True, help="directory keeping keys and certificates"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    authority = TimeStampAuthority.load_or_create(args.state_dir)
    server = make_server(authority, args.host, args.port)
    url = f"http://{args.host}:{server.server_port}/"
    print(f"TSA listening on {url} ; verifiers trust {args.state_dir / 'root.pem'}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
