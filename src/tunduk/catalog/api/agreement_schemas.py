"""Request and answer schemas of the Catalog API's exchange notices and agreements (003 §2.1,
§4, §7); the other resources' schemas are in ``schemas``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from tunduk.api.types import ONE_LINE, STORABLE, ObjectId, Text, column
from tunduk.catalog.api.schemas import Moment
from tunduk.catalog.choices import AgreementKind, NoticeKind
from tunduk.catalog.models import Agreement

# ---- notices ----------------------------------------------------------------------------


class ExchangeNoticeIn(Schema):
    """An outage, maintenance, violation or error reported at once (003 §3.2.13).

    Without ``participant`` it is the operator's own notice about the exchange.
    """

    participant: ObjectId | None = None
    subsystem: ObjectId | None = None
    kind: NoticeKind
    title: Annotated[str, Field(max_length=300), STORABLE, ONE_LINE]
    description: Text
    starts_at: Moment
    ends_at: Moment | None = None


class ExchangeNoticeOut(Schema):
    """A notice as shown; who reported it is not shown."""

    id: int
    participant: int | None
    participant_identifier: str | None
    subsystem: int | None
    subsystem_identifier: str | None
    kind: NoticeKind
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime | None
    is_public: bool
    reported_at: datetime


class AgreementIn(Schema):
    """Form fields sent with the signed copy (``document``)."""

    kind: AgreementKind
    participant: ObjectId
    number: Annotated[str, Field(max_length=column(Agreement, "number")), STORABLE]
    signed_on: date
    counterparty: ObjectId | None = None
    service: ObjectId | None = None
    valid_until: date | None = None
    notes: Text = ""


class TerminationIn(Schema):
    """Notice of termination (003 §7.2); a connection agreement ends after the prior notice."""

    reason: Text
    effective_at: Moment | None = Field(
        None,
        description="When a connection agreement stops being in force and the participant's "
        "disconnection (or leaving) takes effect; the end of the prior notice if omitted, "
        "never earlier (003 §4). An SLA ends at once.",
    )


class AgreementOut(Schema):
    """A recorded agreement; the signed copy is downloaded from the Catalog's pages."""

    id: int
    kind: AgreementKind
    participant: int
    participant_identifier: str
    counterparty: int | None
    counterparty_identifier: str | None
    service: int | None
    service_identifier: str | None
    number: str
    signed_on: date
    valid_until: date | None
    document_name: str
    document_sha256: str
    document_size: int
    notes: str
    recorded_at: datetime
    terminated_at: datetime | None
    termination_reason: str
    status: Literal["in_force", "ending", "terminated"] = Field(
        description="ending: notice of termination given, in force until terminated_at."
    )
    termination_notified_at: datetime | None
    superseded_by: int | None = Field(
        description="The connection agreement that superseded this one (003 §7.3)."
    )
