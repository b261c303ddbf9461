"""Request and response schemas of the Registry's API (Pydantic v2 via ninja ``Schema``).

Output schemas are filled from plain dicts built in ``registry.api.presenters`` so that
what the public may see is decided in one place.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from tunduk import limits
from tunduk.api.types import (
    ONE_LINE,
    STORABLE,
    Count,
    ObjectId,
    RecentDate,
    Text,
    column,
)
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
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Element,
    InformationResource,
    Interaction,
    ProvidedService,
    SoftwareItem,
)

# ---- subjects -------------------------------------------------------------------------


class SubjectOut(Schema):
    """An accounting subject (000 §5)."""

    id: int
    name: str = Field(description="The full name in the request's language, else the other.")
    name_ky: str = Field(description="The full name in Kyrgyz (the state language).")
    name_ru: str = Field(description="The full name in Russian (the official language).")
    short_name: str
    kind: SubjectKind
    parent: int | None
    address: str
    head_name: str
    email: str


# ---- element lists (fields 8–11) --------------------------------------------------------


class SoftwareRow(Schema):
    """Field 8: software used for the element to work."""

    name: Annotated[str, Field(max_length=column(SoftwareItem, "name")), STORABLE]
    version: Annotated[str, Field(max_length=column(SoftwareItem, "version")), STORABLE] = ""
    licence: Annotated[str, Field(max_length=column(SoftwareItem, "licence")), STORABLE] = ""


class ResourceRow(Schema):
    """Field 9: an information resource the element contains."""

    full_name: Annotated[str, Field(max_length=column(InformationResource, "full_name")), STORABLE]
    description: Annotated[
        str, Field(max_length=column(InformationResource, "description")), STORABLE
    ] = ""
    contains_personal_data: bool = False


class InteractionRow(Schema):
    """Field 10: a resource of another information system the element interacts with."""

    resource_name: Annotated[str, Field(max_length=column(Interaction, "resource_name")), STORABLE]
    system_name: Annotated[str, Field(max_length=column(Interaction, "system_name")), STORABLE] = ""
    counterpart_id: ObjectId | None = Field(None, description="A registered element, if known.")


class ServiceRow(Schema):
    """Field 11: an information service the element provides."""

    name: Annotated[str, Field(max_length=column(ProvidedService, "name")), STORABLE]
    recipients: Annotated[
        str, Field(max_length=column(ProvidedService, "recipients")), STORABLE
    ] = ""


# ---- elements ---------------------------------------------------------------------------


class ElementFieldsIn(Schema):
    """The scalar fields of 000 §20 and the lists of fields 8–11; lists replace the old rows."""

    full_name: Annotated[str, Field(max_length=column(Element, "full_name")), STORABLE] | None = (
        Field(None, description="Field 1: full name in Kyrgyz, the state language.")
    )
    full_name_ru: (
        Annotated[str, Field(max_length=column(Element, "full_name_ru")), STORABLE] | None
    ) = Field(None, description="Field 1: full name in Russian, the official language.")
    short_name: Annotated[str, Field(max_length=column(Element, "short_name")), STORABLE] | None = (
        Field(None, description="Field 1: short name.")
    )
    element_type: ElementType | None = Field(
        None, description="Field 2: exactly one of the four types (000 appendix §2)."
    )
    operated_by_owner: bool = Field(True, description="Field 3: the owner operates it.")
    operator_name: (
        Annotated[str, Field(max_length=column(Element, "operator_name")), STORABLE] | None
    ) = Field(None, description="Field 3: the operator otherwise.")
    purpose: Annotated[str, Field(max_length=column(Element, "purpose")), STORABLE] | None = Field(
        None, description="Field 4."
    )
    legal_acts: Annotated[str, Field(max_length=column(Element, "legal_acts")), STORABLE] | None = (
        Field(None, description="Field 5.")
    )
    responsible_unit: (
        Annotated[str, Field(max_length=column(Element, "responsible_unit")), STORABLE] | None
    ) = Field(None, description="Field 6.")
    responsible_officials: (
        Annotated[str, Field(max_length=column(Element, "responsible_officials")), STORABLE] | None
    ) = Field(None, description="Field 6.")
    architecture: (
        Annotated[str, Field(max_length=column(Element, "architecture")), STORABLE] | None
    ) = Field(None, description="Field 7 (not public).")
    location: Annotated[str, Field(max_length=column(Element, "location")), STORABLE] | None = (
        Field(None, description="Field 13 (not public).")
    )
    location_responsible: (
        Annotated[str, Field(max_length=column(Element, "location_responsible")), STORABLE] | None
    ) = Field(None, description="Field 13 (not public).")
    developer: Annotated[str, Field(max_length=column(Element, "developer")), STORABLE] | None = (
        Field(None, description="Field 14.")
    )
    user_count: Count | None = Field(None, description="Field 15.")
    financing_source: FinancingSource | None = Field(None, description="Field 16.")
    financing_details: (
        Annotated[str, Field(max_length=column(Element, "financing_details")), STORABLE] | None
    ) = Field(None, description="Field 16.")
    commissioning_act_reference: (
        Annotated[str, Field(max_length=column(Element, "commissioning_act_reference")), STORABLE]
        | None
    ) = Field(None, description="Field 17.")
    software: Annotated[list[SoftwareRow], Field(max_length=limits.ELEMENT_LIST_ROWS)] | None = (
        Field(None, description="Field 8 (not public).")
    )
    resources: Annotated[list[ResourceRow], Field(max_length=limits.ELEMENT_LIST_ROWS)] | None = (
        Field(None, description="Field 9.")
    )
    interactions: (
        Annotated[list[InteractionRow], Field(max_length=limits.ELEMENT_LIST_ROWS)] | None
    ) = Field(None, description="Field 10.")
    services: Annotated[list[ServiceRow], Field(max_length=limits.ELEMENT_LIST_ROWS)] | None = (
        Field(None, description="Field 11.")
    )


class ElementCreateIn(ElementFieldsIn):
    """A new draft record; only the full name is required at first."""

    subject: ObjectId | None = Field(None, description="Defaults to the caller's subject.")
    full_name: Annotated[str, Field(max_length=column(Element, "full_name")), STORABLE] = Field(
        description="Field 1: full name in Kyrgyz, the state language (000 §20)."
    )


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
    name: str = Field(description="The full name in the request's language, else the other.")
    name_ky: str = Field(description="The full name in Kyrgyz (the state language).")
    name_ru: str = Field(description="The full name in Russian (the official language).")
    full_name: str = Field(description="Field 1 as written: the Kyrgyz full name.")
    full_name_ru: str = Field(description="Field 1 as written: the Russian full name.")
    short_name: str
    element_type: ElementType | None
    status: ElementStatus
    subject: int
    subject_name: str = Field(
        description="The subject's short name, else its name in the request's language."
    )
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
    proposed: bool = Field(
        False, description="A state of a proposed change, not of the registered record (000 §24)."
    )


class ProposedChangeOut(Schema):
    """A registered element's open proposed change beside its registered record (000 §24).

    Only the subject's employees and the staff read it; the public is answered 404.
    """

    element: int
    status: ElementStatus = Field(
        description="The element's state: registered (not yet "
        "submitted), change_submitted or change_refused."
    )
    proposed_at: datetime
    updated_at: datetime
    registered: dict[str, Any] = Field(description="The registered record (public as it is).")
    proposed: dict[str, Any] = Field(description="The proposed record, not public.")
    changes: dict[str, Any] = Field(description="Fields that differ, as {old, new}.")


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
    subject_address: Annotated[
        str, Field(max_length=column(AccessApplication, "subject_address")), STORABLE
    ]
    element_full_name: Annotated[
        str, Field(max_length=column(AccessApplication, "element_full_name")), STORABLE
    ]
    element_short_name: Annotated[
        str, Field(max_length=column(AccessApplication, "element_short_name")), STORABLE
    ] = ""
    element_type: ElementType
    employee_full_name: Annotated[
        str, Field(max_length=column(AccessApplication, "employee_full_name")), STORABLE
    ]
    employee_position: Annotated[
        str, Field(max_length=column(AccessApplication, "employee_position")), STORABLE
    ]
    employee_email: Annotated[
        str, Field(max_length=column(AccessApplication, "employee_email")), STORABLE
    ]
    appointment_decision: Annotated[
        str, Field(max_length=column(AccessApplication, "appointment_decision")), STORABLE
    ]


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
    reference: str | None = Field(None, description="The applicant's reference number.")
    status_url: str | None = Field(
        None,
        description="The secret status page (only in the answer to the submission; keep it secret).",
    )


class RejectIn(Schema):
    """Why the application is rejected."""

    comment: Text


# ---- decommissioning --------------------------------------------------------------------


class DecommissioningIn(Schema):
    """The notice of 000 §28 (sent as multipart form fields with the decision copy)."""

    decision_date: RecentDate
    decision_reference: Annotated[
        str,
        Field(max_length=column(DecommissioningNotice, "decision_reference")),
        STORABLE,
        ONE_LINE,
    ]
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
