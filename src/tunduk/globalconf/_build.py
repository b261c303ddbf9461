"""Helpers for the central side that generates a configuration every interval."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from ._codec import canonical
from ._errors import ConfigurationFormatError
from ._model import (
    ApprovedCa,
    ApprovedTsa,
    Gateway,
    GlobalConfiguration,
    GlobalGroup,
    Grant,
    Member,
)
from ._validate import MAX_VERSION, validate
from ._validate import validity as check_validity

DEFAULT_VALIDITY = timedelta(minutes=10)
"""How long a configuration is valid after it is generated (X-Road: 600 s)."""

GENERATION_INTERVAL = timedelta(seconds=60)
"""How often central generates and signs a new version (X-Road: 60 s)."""

POLL_INTERVAL = timedelta(seconds=60)
"""How often a gateway downloads it (X-Road: 60 s); ten polls fit in one validity period."""

MAX_CLOCK_SKEW = timedelta(minutes=5)
"""How far ``generated_at`` may be ahead of a gateway's clock before the document is refused."""


def build(
    instance: str,
    version: int,
    *,
    members: Iterable[Member],
    gateways: Iterable[Gateway],
    approved_cas: Iterable[ApprovedCa] = (),
    approved_tsas: Iterable[ApprovedTsa] = (),
    groups: Iterable[GlobalGroup] = (),
    grants: Iterable[Grant] = (),
    settings: Mapping[str, str] | None = None,
    validity: timedelta = DEFAULT_VALIDITY,
    now: datetime,
) -> GlobalConfiguration:
    """Assemble a validated configuration in canonical order, valid from ``now``.

    ``now`` is truncated to whole seconds (the encoding's precision).
    """
    check_validity(validity)
    generated_at = now.replace(microsecond=0)
    conf = GlobalConfiguration(
        instance=instance,
        version=version,
        generated_at=generated_at,
        expires_at=generated_at + validity,
        members=list(members),
        gateways=list(gateways),
        approved_cas=list(approved_cas),
        approved_tsas=list(approved_tsas),
        groups=list(groups),
        grants=list(grants),
        settings=dict(settings or {}),
    )
    validate(conf)
    return canonical(conf)


def next_version(previous: int | None) -> int:
    """The version after ``previous`` (1 for the first configuration ever)."""
    if previous is None:
        return 1
    if not 1 <= previous < MAX_VERSION:
        raise ConfigurationFormatError("version", f"previous version {previous} is out of range")
    return previous + 1
