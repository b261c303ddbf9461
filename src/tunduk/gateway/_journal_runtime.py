"""Wiring the journal's checkpoints and witness into a running gateway.

:func:`checkpointer_for` builds the :class:`~tunduk.gateway.checkpoints.Checkpointer` of a
:class:`~tunduk.gateway.runtime.GatewayRuntime`, whose ``send`` posts cosign requests to
the peer's ``/tunduk/v1/cosign`` over the runtime's pooled mutual-TLS session and checks
that the answering gateway is the peer asked (its TLS certificate, as for messages).
:func:`witness_for` builds the :class:`~tunduk.gateway.witnessing.GatewayWitness` the
server proxy mounts under :data:`~tunduk.gateway.witnessing.WITNESS_KEY`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp

from tunduk.identifiers import ServerId

from ._cosign_wire import MAX_REQUEST_BYTES
from ._proxying import peer_certificate
from .checkpoints import Checkpointer, CosignError, Send
from .client_proxy import _transport
from .witnessing import GatewayWitness

if TYPE_CHECKING:
    from .runtime import GatewayRuntime

__all__ = ["checkpointer_for", "witness_for"]

COSIGN_PATH = "/tunduk/v1/cosign"


def _address(runtime: GatewayRuntime, peer: ServerId) -> str:
    """The peer gateway's address in the configuration in force."""
    member = peer.member
    for gateway in runtime.current().gateways:
        if (
            gateway.member_class == member.member_class
            and gateway.member_code == member.member_code
            and gateway.server_code == peer.server_code
        ):
            return gateway.address
    raise CosignError(f"{peer} is not a gateway in the global configuration")


def cosign_sender(runtime: GatewayRuntime) -> Send:
    """The ``send`` of the runtime's checkpointer: mutual TLS, the peer checked, bounded."""

    async def send(peer: ServerId, body: bytes) -> bytes:
        tls = runtime.tls
        if tls is None:
            raise CosignError("the gateway's TLS contexts are not ready")
        url = f"https://{_address(runtime, peer)}{COSIGN_PATH}"
        try:
            async with runtime.peer_session.post(
                url,
                data=body,
                headers={"Content-Type": "application/json"},
                ssl=tls.client,
                timeout=aiohttp.ClientTimeout(total=runtime.config.peer_timeout),
            ) as response:
                der = peer_certificate(_transport(response))
                if runtime.check_peer(der, member=peer.member, side="client") != peer:
                    raise CosignError(f"another gateway than {peer} answered at {url}")
                answer = await response.content.read(MAX_REQUEST_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise CosignError(f"{peer} could not be reached: {error!r}") from error
        if len(answer) > MAX_REQUEST_BYTES:
            raise CosignError(f"{peer} answered more than {MAX_REQUEST_BYTES} bytes")
        return answer

    return send


def checkpointer_for(runtime: GatewayRuntime) -> Checkpointer:
    """The checkpointer of a started runtime (its message log must be open)."""
    assert runtime.log is not None, "start() opens the message log first"
    return Checkpointer.for_gateway(
        runtime.log,
        runtime.config,
        runtime.keys,
        runtime.configurations,
        cosign_sender(runtime),
        peers=runtime.peers_since_checkpoint,
    )


def witness_for(runtime: GatewayRuntime) -> GatewayWitness:
    """The witness the server proxy mounts for peers' cosign requests."""
    return GatewayWitness.for_gateway(runtime.config, runtime.keys, runtime.configurations)
