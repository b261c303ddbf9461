"""The Tunduk gateway: each organisation's X-Road REST compatible security server.

No Django import on the hot path: aiohttp on uvloop, orjson, cryptography, and the
project's Django-free libraries (``journal``, ``globalconf``, ``identifiers``, ``trust``).
``docs/gateway.md`` is the operator's guide, ``docs/gateway-protocol.md`` the wire format.

Pieces:

- configuration: :func:`load_config` reads the one TOML file into :class:`GatewayConfig`
  (:class:`ConfigError` names the key and the rule);
- keys: :func:`init_keys`, :func:`install_certificate`, :func:`load_keys`
  (:mod:`tunduk.gateway.keys`);
- running: :class:`GatewayRuntime` (both listeners, the configuration poller, the
  journal, signing, checkpoints) and :func:`serve` (uvloop, SIGTERM/SIGINT);
- the client side :mod:`~tunduk.gateway.client_proxy` and the provider side
  :mod:`~tunduk.gateway.server_proxy`; the protocol pieces :mod:`~tunduk.gateway.xroad`,
  :mod:`~tunduk.gateway.wire`, :mod:`~tunduk.gateway.signing`, :mod:`~tunduk.gateway.tls`,
  :mod:`~tunduk.gateway.access`, :mod:`~tunduk.gateway.metadata`;
- the journal: :mod:`~tunduk.gateway.leaf`, :mod:`~tunduk.gateway.messagelog`,
  :mod:`~tunduk.gateway.checkpoints`, :mod:`~tunduk.gateway.witnessing`;
- the command: :func:`tunduk.gateway.cli.main` (``tunduk gateway …``).

Exceptions::

    Exception
     ├── GatewayError      an X-Road error answered to a client or peer (.code, .message, .status)
     └── ValueError
          ├── ConfigError  the configuration file breaks a rule (.field, .message)
          └── KeyFileError a key or certificate file is missing, too open or malformed
"""

from ._errors import Code, GatewayError
from .config import ConfigError, GatewayConfig, ServiceConfig, load_config
from .keys import GatewayKeys, KeyFileError, init_keys, install_certificate, load_keys
from .runtime import GatewayRuntime, serve

__all__ = [
    "Code",
    "ConfigError",
    "GatewayConfig",
    "GatewayError",
    "GatewayKeys",
    "GatewayRuntime",
    "KeyFileError",
    "ServiceConfig",
    "init_keys",
    "install_certificate",
    "load_config",
    "load_keys",
    "serve",
]
