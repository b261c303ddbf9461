"""``/api/working-days``: the decreed day transfers; anyone may read, only the operator changes.

A change made here is the same change as on the ``/working-days/`` page: validated by
``DayTransfer.clean``, audited, kept in the calendar's history and journaled, and the
open deadlines it moves are recomputed (docs/workdays.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from tunduk.accounts.choices import Role
from tunduk.api.auth import token_optional, token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404, require_roles
from tunduk.api.types import PathId
from tunduk.core.errors import clean_or_raise
from tunduk.workdays.choices import TransferKind
from tunduk.workdays.models import DayTransfer
from tunduk.workdays.services import delete_transfer, save_transfer

router = Router(tags=["working days"], auth=token_required)


class TransferIn(Schema):
    """A decreed transfer as the operator enters it."""

    date: date
    kind: TransferKind
    decree: str
    note: str = ""


class TransferOut(Schema):
    """A decreed transfer as stored."""

    id: int
    date: date
    kind: TransferKind
    decree: str
    note: str


def _out(transfer: DayTransfer) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "date": transfer.date,
        "kind": transfer.kind,
        "decree": transfer.decree,
        "note": transfer.note,
    }


@router.get(
    "/transfers",
    response=responses({200: list[TransferOut]}),
    auth=token_optional,
    summary="List decreed day transfers",
)
def list_transfers(request: HttpRequest) -> list[dict[str, Any]]:
    """Every decreed transfer, latest date first; public, like the calendar itself."""
    return [_out(transfer) for transfer in DayTransfer.objects.order_by("-date")]


@router.post(
    "/transfers", response=responses({201: TransferOut}), summary="Add a decreed day transfer"
)
def add_transfer(request: HttpRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    """The Registry operator enters a decree; open deadlines are recomputed."""
    require_roles(request, Role.OPERATOR, action="change_day_transfer")
    transfer = DayTransfer(**payload.model_dump())
    with transaction.atomic():
        clean_or_raise(transfer, exclude=["changed_by"])
        save_transfer(transfer, actor=actor(request))
    return Status(201, _out(transfer))


@router.delete(
    "/transfers/{transfer_id}",
    response=responses({204: None}),
    summary="Remove a decreed day transfer",
)
def remove_transfer(request: HttpRequest, transfer_id: PathId) -> Status[None]:
    """The Registry operator removes a transfer; open deadlines are recomputed."""
    require_roles(request, Role.OPERATOR, action="change_day_transfer")
    delete_transfer(get_or_404(DayTransfer.objects.all(), transfer_id), actor=actor(request))
    return Status(204, None)
