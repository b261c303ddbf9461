"""Status values and kinds of the Registry: one ``TextChoices`` per concept."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """Kinds of accounting subject (000 §5)."""

    STATE_BODY = "state_body", _("State body")
    LOCAL_GOVERNMENT = "local_government", _("Local self-government body")
    DEPARTMENTAL_UNIT = "departmental_unit", _("Departmental unit")
    INSTITUTION = "institution", _("Institution")
    ENTERPRISE = "enterprise", _("State enterprise")
    ORGANISATION = "organisation", _("Organisation")


class ElementType(models.TextChoices):
    """The four element types of 000 appendix §1; each element has exactly one (appendix §2)."""

    INFORMATION_SYSTEM = "information_system", _("Information system")
    SOFTWARE = "software", _("Software for the bodies' own operations")
    DATA_CENTRE = "data_centre", _("Data processing centre")
    HARDWARE_SOFTWARE_COMPLEX = (
        "hardware_software_complex",
        _("Software-hardware complex or shared means"),
    )


ELEMENT_TYPE_CODE_PREFIX = {
    ElementType.INFORMATION_SYSTEM: "IS",
    ElementType.SOFTWARE: "SW",
    ElementType.DATA_CENTRE: "DC",
    ElementType.HARDWARE_SOFTWARE_COMPLEX: "HC",
}


class ElementStatus(models.TextChoices):
    """States of an element's life cycle (see ``registry.lifecycle``)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for registration")
    REFUSED = "refused", _("Registration refused")
    REGISTERED = "registered", _("Registered")
    CHANGE_SUBMITTED = "change_submitted", _("Change submitted")
    CHANGE_REFUSED = "change_refused", _("Change refused")
    DECOMMISSIONING_NOTIFIED = "decommissioning_notified", _("Decommissioning notified")
    DECOMMISSIONING_AGREED = "decommissioning_agreed", _("Decommissioning agreed")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class FinancingSource(models.TextChoices):
    """Source of financing (000 §20.16)."""

    REPUBLICAN_BUDGET = "republican_budget", _("Republican budget")
    LOCAL_BUDGET = "local_budget", _("Local budget")
    DONOR = "donor", _("Donor or grant funds")
    OWN_FUNDS = "own_funds", _("Own funds of the subject")
    MIXED = "mixed", _("Mixed sources")


class DocumentKind(models.TextChoices):
    """Kinds of attached document."""

    TECHNICAL = "technical", _("Technical document")  # 000 §20.12
    COMMISSIONING_ACT = "commissioning_act", _("Act of commissioning")  # 000 §20.17
    DECOMMISSIONING_DECISION = (
        "decommissioning_decision",
        _("Decision to stop operation"),
    )  # 000 §28


class SubmissionKind(models.TextChoices):
    """Why a record was sent to the operator."""

    REGISTRATION = "registration", _("Registration")
    CHANGE = "change", _("Change after modernisation")


class SubmissionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Change accepted")
    REFUSED = "refused", _("Refused")


class RefusalGround(models.TextChoices):
    """The only grounds on which a record may be refused."""

    NO_RIGHT = "no_right", _("Submitted by a person without the right (000 §23.1)")
    INCOMPLETE = "incomplete", _("The record is incomplete (000 §23.2)")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the Registry's scope (000 §2)")


class ApplicationStatus(models.TextChoices):
    """States of an access application (000 §15–19)."""

    RECEIVED = "received", _("Received by the authorised body")
    FORWARDED = "forwarded", _("Forwarded to the operator")
    GRANTED = "granted", _("Access granted")
    REJECTED = "rejected", _("Rejected")


class DecommissioningStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    AGREED = "agreed", _("Agreed by the authorised body")
    NOT_AGREED = "not_agreed", _("Not agreed")
    RECORDED = "recorded", _("Recorded by the operator")


class InformationRequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
