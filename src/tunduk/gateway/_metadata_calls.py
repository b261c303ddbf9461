"""The REST metadata services a provider gateway answers itself (listMethods, allowedMethods, getOpenAPI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tunduk.globalconf import GlobalConfiguration
from tunduk.identifiers import MemberId, SubsystemId

from ._errors import Code, GatewayError
from ._journal_items import Direction

if TYPE_CHECKING:
    from . import xroad
    from .runtime import GatewayRuntime


def metadata_answer(
    runtime: GatewayRuntime,
    conf: GlobalConfiguration,
    target: xroad.RestTarget,
    client: MemberId | SubsystemId,
    direction: Direction,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a metadata service's answer."""
    raise GatewayError(Code.UNKNOWN_SERVICE, f"{target.metadata} is not available yet")
