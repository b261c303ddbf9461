"""Loopback HTTP plumbing shared by the global-configuration and gateway tests."""

from __future__ import annotations

import http.server
import socket
import threading

from tunduk.globalconf import SignedConfiguration

CONFIGURATION_PATH = "/globalconf/configuration.signed.json"
"""Where :class:`ConfigurationServer` serves the envelope, as central does."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for processes that must bind it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ConfigurationServer:
    """Serves whatever bytes a test puts in ``files`` over HTTP on 127.0.0.1; 404 for the rest."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{CONFIGURATION_PATH}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def publish(self, signed: SignedConfiguration) -> None:
        """Serve ``signed`` from now on."""
        self.files[CONFIGURATION_PATH] = signed.to_bytes()

    def stop(self) -> None:
        """Stop serving and close the socket (connections are then refused); once only."""
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()
