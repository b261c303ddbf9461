"""Request and response schemas of the Registry's API (Pydantic v2 via ninja ``Schema``).

Output schemas are filled from plain dicts built in ``registry.api.presenters`` so that
what the public may see is decided in one place.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from tunduk.registry.api.types import Count, ObjectId, OneLine, RecentDate, Text
from tunduk.registry.choices import (
    ApplicationStatus,
    DecommissioningStatus,
    DocumentKind,
    ElementStatus,
    ElementType,
    FinancingSource,
    InformationRequestStatus,
    RefusalGround,
    SubjectKind,
    SubmissionKind,
    SubmissionStatus,
)

# ---- subjects -------------------------------------------------------------------------


class SubjectOut(Schema):
    """An accounting subject (000 §5)."""

    id: int
    name: str
    short_name: str
    kind: SubjectKind
    parent: int | None
    address: str
    head_name: str
    email: str


# ---- element lists (fields 8–11) --------------------------------------------------------


class SoftwareRow(Schema):
    """Field 8: software used for the element to work."""

    name: Text
    version: Text = ""
    licence: Text = ""


class ResourceRow(Schema):
    """Field 9: an information resource the element contains."""

    full_name: Text
    description: Text = ""
    contains_personal_data: bool = False


class InteractionRow(Schema):
    """Field 10: a resource of another information system the element interacts with."""

    resource_name: Text
    system_name: Text = ""
    counterpart_id: ObjectId | None = Field(None, description="A registered element, if known.")


class ServiceRow(Schema):
    """Field 11: an information service the element provides."""

    name: Text
    recipients: Text = ""


# ---- elements ---------------------------------------------------------------------------


class ElementFieldsIn(Schema):
    """The scalar fields of 000 §20 and the lists of fields 8–11; lists replace the old rows."""

    full_name: Text | None = Field(None, description="Field 1: full name.")
    short_name: Text | None = Field(None, description="Field 1: short name.")
    element_type: ElementType | None = Field(
        None, description="Field 2: exactly one of the four types (000 appendix §2)."
    )
    operated_by_owner: bool = Field(True, description="Field 3: the owner operates it.")
    operator_name: Text | None = Field(None, description="Field 3: the operator otherwise.")
    purpose: Text | None = Field(None, description="Field 4.")
    legal_acts: Text | None = Field(None, description="Field 5.")
    responsible_unit: Text | None = Field(None, description="Field 6.")
    responsible_officials: Text | None = Field(None, description="Field 6.")
    architecture: Text | None = Field(None, description="Field 7 (not public).")
    location: Text | None = Field(None, description="Field 13 (not public).")
    location_responsible: Text | None = Field(None, description="Field 13 (not public).")
    developer: Text | None = Field(None, description="Field 14.")
    user_count: Count | None = Field(None, description="Field 15.")
    financing_source: FinancingSource | None = Field(None, description="Field 16.")
    financing_details: Text | None = Field(None, description="Field 16.")
    commissioning_act_reference: Text | None = Field(None, description="Field 17.")
    software: list[SoftwareRow] | None = Field(None, description="Field 8 (not public).")
    resources: list[ResourceRow] | None = Field(None, description="Field 9.")
    interactions: list[InteractionRow] | None = Field(None, description="Field 10.")
    services: list[ServiceRow] | None = Field(None, description="Field 11.")


class ElementCreateIn(ElementFieldsIn):
    """A new draft record; only the full name is required at first."""

    subject: ObjectId | None = Field(None, description="Defaults to the caller's subject.")
    full_name: Text = Field(description="Field 1: full name.")


class ElementUpdateIn(ElementFieldsIn):
    """A partial change: only the fields sent are changed; lists sent replace the old rows."""


class DocumentOut(Schema):
    """An attached electronic copy of a paper document."""

    id: int
    kind: DocumentKind
    title: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ElementSummaryOut(Schema):
    """An element as listed: identity, type and state."""

    id: int
    registration_code: str | None
    full_name: str
    short_name: str
    element_type: ElementType | None
    status: ElementStatus
    subject: int
    subject_name: str
    registered_at: datetime | None
    decommissioned_at: datetime | None


class ElementOut(ElementSummaryOut):
    """An element's record; non-public fields are ``null`` unless the caller may see them."""

    private_fields_shown: bool = Field(
        description="False for the public: fields 7, 8, 12 and 13 are then null."
    )
    version: int
    operated_by_owner: bool
    operator_name: str
    purpose: str
    legal_acts: str
    responsible_unit: str
    responsible_officials: str
    architecture: str | None
    location: str | None
    location_responsible: str | None
    developer: str
    user_count: int | None
    financing_source: FinancingSource | None
    financing_details: str
    commissioning_act_reference: str
    software: list[SoftwareRow] | None
    resources: list[ResourceRow]
    interactions: list[InteractionRow]
    services: list[ServiceRow]
    documents: list[DocumentOut]
    created_at: datetime | None = None
    updated_at: datetime | None = None


class MissingFieldOut(Schema):
    """One numbered field of 000 §20 that is still empty."""

    number: int
    label: str


class CompletenessOut(Schema):
    """Which of the 17 fields are still missing before the record can be registered."""

    complete: bool
    missing: list[MissingFieldOut]


class VersionOut(Schema):
    """One earlier state of the record, with what changed (000 §24)."""

    number: int
    status: ElementStatus
    event: str
    created_at: datetime
    actor: str | None = Field(description="Who made the change; hidden from the public.")
    changes: dict[str, Any]
    snapshot: dict[str, Any]


class SubmitIn(Schema):
    """Send the record to the operator; an incomplete one only when confirmed."""

    allow_incomplete: bool = False


# ---- reviews ----------------------------------------------------------------------------


class DecisionOut(Schema):
    """The operator's decision on a submission."""

    outcome: SubmissionStatus
    ground: RefusalGround | None
    explanation: str
    missing_fields: list[int]
    decided_at: datetime


class SubmissionOut(Schema):
    """One sending of a record for review within 3 working days (000 §21)."""

    id: int
    element: int
    element_name: str
    subject: int
    subject_name: str
    kind: SubmissionKind
    status: SubmissionStatus
    version_number: int
    submitted_at: datetime
    due_date: date
    overdue: bool
    decision: DecisionOut | None


class RefuseIn(Schema):
    """A refusal must cite a ground of 000 §23 (or 000 §2) and explain it."""

    ground: RefusalGround
    explanation: Text


# ---- access applications ----------------------------------------------------------------


class ApplicationIn(Schema):
    """The written notification of 000 §15 with the content 000 §16 requires."""

    subject: ObjectId
    subject_address: Text
    element_full_name: Text
    element_short_name: Text = ""
    element_type: ElementType
    employee_full_name: Text
    employee_position: Text
    employee_email: Text
    appointment_decision: Text


class ApplicationOut(Schema):
    """An access application and where it stands."""

    id: int
    subject: int
    subject_name: str
    subject_address: str
    element_full_name: str
    element_short_name: str
    element_type: ElementType
    employee_full_name: str
    employee_position: str
    employee_email: str
    appointment_decision: str
    status: ApplicationStatus
    received_at: datetime
    forward_due: date
    overdue: bool
    forwarded_at: datetime | None
    decided_at: datetime | None
    decision_comment: str
    employee: int | None


class RejectIn(Schema):
    """Why the application is rejected."""

    comment: Text


# ---- decommissioning --------------------------------------------------------------------


class DecommissioningIn(Schema):
    """The notice of 000 §28 (sent as multipart form fields with the decision copy)."""

    decision_date: RecentDate
    decision_reference: OneLine
    reason: Text = ""


class NoticeOut(Schema):
    """A decommissioning notice and its agreement and recording (000 §27–29)."""

    id: int
    element: int
    element_name: str
    subject: int
    status: DecommissioningStatus
    decision_date: date
    decision_reference: str
    decision_document: DocumentOut
    reason: str
    notified_at: datetime
    notice_due: date
    is_late: bool
    record_due: date
    overdue: bool
    agreed_at: datetime | None
    agreement_comment: str
    recorded_at: datetime | None


class DecideIn(Schema):
    """The authorised body's decision; not agreeing needs a comment."""

    agree: bool
    comment: Text = ""


# ---- information requests ---------------------------------------------------------------


class QuestionIn(Schema):
    """A request for additional information (000 §10)."""

    question: Text
    answer_due: RecentDate | None = None


class AnswerIn(Schema):
    """The subject's answer."""

    answer: Text


class InformationRequestOut(Schema):
    """A question about an element and its answer."""

    id: int
    element: int
    element_name: str
    question: str
    answer_due: date | None
    status: InformationRequestStatus
    asked_at: datetime
    answer: str
    answered_at: datetime | None
