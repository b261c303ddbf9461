"""An RFC 3161 time-stamping authority for development and tests.

:class:`TimeStampAuthority` issues real tokens (``openssl ts -verify`` accepts them);
:func:`serve_tsa` answers RFC 3161 HTTP requests in a background thread; run
``python -m tunduk.trust.tsa --port N --state-dir DIR`` for a standalone server.
"""

from tunduk.trust.tsa._authority import (
    DEFAULT_POLICY,
    SUPPORTED_HASHES,
    TimeStampAuthority,
    TimeStampResp,
    TsaEku,
    build_request,
)
from tunduk.trust.tsa._http import TIMESTAMP_QUERY, TIMESTAMP_REPLY, make_server, serve_tsa

__all__ = [
    "DEFAULT_POLICY",
    "SUPPORTED_HASHES",
    "TIMESTAMP_QUERY",
    "TIMESTAMP_REPLY",
    "TimeStampAuthority",
    "TimeStampResp",
    "TsaEku",
    "build_request",
    "make_server",
    "serve_tsa",
]
