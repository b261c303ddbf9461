"""What a notification says, per kind: a title and a text, translated when read.

A notification stores its kind and plain parameters (names, codes, dates); the words are
msgids here, so each reader sees them in their own language. A parameter whose name ends
in ``_label`` is itself an English msgid (a choice's label, e.g. a §23 ground) and is
translated too; one ending in ``_labels`` is a list of them, joined with commas.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

__all__ = ["NotificationKind", "Rendered", "render_kind"]


class NotificationKind(models.TextChoices):
    """Every decision and request the system tells people about."""

    # Registry: review of a record (000 §21–23)
    SUBMISSION_RECEIVED = "submission_received", _("Record awaiting review")
    ELEMENT_REGISTERED = "element_registered", _("Element registered")
    CHANGE_ACCEPTED = "change_accepted", _("Change accepted")
    ELEMENT_REFUSED = "element_refused", _("Registration refused")
    # Registry: access applications (000 §15–19)
    APPLICATION_SUBMITTED = "application_submitted", _("Access application submitted")
    APPLICATION_RECEIVED = "application_received", _("Access application received")
    APPLICATION_FORWARDED = "application_forwarded", _("Access application forwarded")
    APPLICATION_REJECTED = "application_rejected", _("Access application rejected")
    APPLICATION_GRANTED = "application_granted", _("Access application granted")
    # Registry: decommissioning (000 §27–29)
    DECOMMISSIONING_NOTIFIED = "decommissioning_notified", _("Decommissioning notified")
    DECOMMISSIONING_AGREED = "decommissioning_agreed", _("Decommissioning agreed")
    DECOMMISSIONING_NOT_AGREED = "decommissioning_not_agreed", _("Decommissioning not agreed")
    ELEMENT_DECOMMISSIONED = "element_decommissioned", _("Element decommissioned")
    # Registry: the authorised body's requests (000 §10)
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    INFORMATION_ANSWERED = "information_answered", _("Information request answered")
    # Catalog (003 §3–4)
    PARTICIPANT_REGISTERED = "participant_registered", _("Registered as a Tunduk participant")
    PARTICIPANT_STATUS_CHANGED = "participant_status_changed", _("Participation status changed")
    SUBSYSTEM_REGISTERED = "subsystem_registered", _("Subsystem registered")
    GATEWAY_REGISTERED = "gateway_registered", _("Gateway awaiting approval")
    GATEWAY_DECIDED = "gateway_decided", _("Gateway decided")
    CERTIFICATE_REQUESTED = "certificate_requested", _("Certificate requested")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_REFUSED = "certificate_refused", _("Certificate refused")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    ACCESS_REQUESTED = "access_requested", _("Access to a service requested")
    ACCESS_DECIDED = "access_decided", _("Access request decided")
    GRANT_CHANGED = "grant_changed", pgettext_lazy("access grant", "Access grant changed")


# (title, text) per kind; %(name)s are the notification's parameters.
_MESSAGES: dict[str, tuple[Any, Any]] = {
    NotificationKind.SUBMISSION_RECEIVED: (
        _("Review the record of %(element)s"),
        _(
            "%(subject)s submitted the record of %(element)s (%(submission_kind_label)s). "
            "Register it or refuse it on a ground of 000 §23 by %(deadline)s (000 §21)."
        ),
    ),
    NotificationKind.ELEMENT_REGISTERED: (
        _("%(element)s is registered as %(code)s"),
        _(
            "The operator registered %(element)s of %(subject)s in the Registry under the "
            "code %(code)s on %(decided)s (000 §21). The decision can be printed or "
            "downloaded as a PDF."
        ),
    ),
    NotificationKind.CHANGE_ACCEPTED: (
        _("The change of %(element)s is accepted"),
        _(
            "The operator accepted the changed record of %(element)s (%(code)s) on "
            "%(decided)s (000 §24)."
        ),
    ),
    NotificationKind.ELEMENT_REFUSED: (
        _("The record of %(element)s is refused"),
        _(
            "The operator refused the record of %(element)s of %(subject)s on %(decided)s.\n"
            "Ground (000 §23): %(ground_label)s.\n"
            "Explanation: %(explanation)s\n"
            "Fields to complete: %(missing_labels)s\n"
            "Remove the cause and submit the record again (000 §23)."
        ),
    ),
    NotificationKind.APPLICATION_SUBMITTED: (
        _("Your access application %(reference)s"),
        _(
            "The authorised body received the access application of %(subject)s for "
            "%(element)s under the reference number %(reference)s. It forwards it to the "
            "operator by %(deadline)s (000 §18). Follow its status at the link below; keep "
            "the link secret."
        ),
    ),
    NotificationKind.APPLICATION_RECEIVED: (
        _("Access application %(reference)s from %(subject)s"),
        _(
            "%(subject)s applied for access to enter the data of %(element)s. Forward the "
            "application to the operator by %(deadline)s (000 §18)."
        ),
    ),
    NotificationKind.APPLICATION_FORWARDED: (
        _("Access application %(reference)s forwarded"),
        _(
            "The authorised body forwarded the access application of %(subject)s for "
            "%(element)s. Review it and grant online access (000 §19)."
        ),
    ),
    NotificationKind.APPLICATION_REJECTED: (
        _("Access application %(reference)s rejected"),
        _(
            "The access application of %(subject)s for %(element)s was rejected.\n"
            "Reason: %(comment)s\n"
            "Correct the application and send it again (000 §16–17)."
        ),
    ),
    NotificationKind.APPLICATION_GRANTED: (
        _("Access application %(reference)s granted"),
        _(
            "Online access to enter the data of %(element)s was granted to %(employee)s; "
            "an invitation was sent to the departmental e-mail (000 §19)."
        ),
    ),
    NotificationKind.DECOMMISSIONING_NOTIFIED: (
        _("Decommissioning of %(element)s to agree"),
        _(
            "%(subject)s notified that %(element)s stops operating (decision %(reference)s). "
            "Agree or refuse the decommissioning (000 §27)."
        ),
    ),
    NotificationKind.DECOMMISSIONING_AGREED: (
        _("Decommissioning of %(element)s agreed"),
        _(
            "The authorised body agreed the decommissioning of %(element)s. The operator "
            "enters it into the Registry by %(deadline)s (000 §29)."
        ),
    ),
    NotificationKind.DECOMMISSIONING_NOT_AGREED: (
        _("Decommissioning of %(element)s not agreed"),
        _("The authorised body did not agree the decommissioning of %(element)s: %(comment)s"),
    ),
    NotificationKind.ELEMENT_DECOMMISSIONED: (
        _("%(element)s is recorded as decommissioned"),
        _("The operator recorded the termination of %(element)s on %(decided)s (000 §29)."),
    ),
    NotificationKind.INFORMATION_REQUESTED: (
        _("Information requested about %(element)s"),
        _("The authorised body asks (000 §10): %(question)s\nAnswer by: %(deadline)s"),
    ),
    NotificationKind.INFORMATION_ANSWERED: (
        _("Answer about %(element)s"),
        _("%(subject)s answered your request about %(element)s."),
    ),
    NotificationKind.PARTICIPANT_REGISTERED: (
        _("%(subject)s is a Tunduk participant"),
        _("The Tunduk operator registered %(subject)s as member %(member)s (003 §3.1.1)."),
    ),
    NotificationKind.PARTICIPANT_STATUS_CHANGED: (
        _("Tunduk participation of %(subject)s: %(status_label)s"),
        _(
            "The participation of %(subject)s changes to “%(status_label)s” from "
            "%(effective)s (003 §4).\nReason: %(reason)s"
        ),
    ),
    NotificationKind.SUBSYSTEM_REGISTERED: (
        _("Subsystem %(subsystem)s registered"),
        _("The subsystem %(subsystem)s of %(subject)s is registered in the Catalog."),
    ),
    NotificationKind.GATEWAY_REGISTERED: (
        _("Gateway %(gateway)s awaits approval"),
        _("%(subject)s registered the gateway %(gateway)s; approve or refuse it."),
    ),
    NotificationKind.GATEWAY_DECIDED: (
        _("Gateway %(gateway)s: %(outcome_label)s"),
        _("The Tunduk operator decided on the gateway %(gateway)s: %(outcome_label)s. %(comment)s"),
    ),
    NotificationKind.CERTIFICATE_REQUESTED: (
        _("Certificate requested for %(gateway)s"),
        _(
            "%(subject)s requested a %(usage_label)s certificate for %(gateway)s; issue or refuse it."
        ),
    ),
    NotificationKind.CERTIFICATE_ISSUED: (
        _("Certificate issued for %(gateway)s"),
        _("The %(usage_label)s certificate for %(gateway)s was issued (003 §3.2.1)."),
    ),
    NotificationKind.CERTIFICATE_REFUSED: (
        _("Certificate refused for %(gateway)s"),
        _("The %(usage_label)s certificate for %(gateway)s was refused: %(reason)s"),
    ),
    NotificationKind.CERTIFICATE_REVOKED: (
        _("Certificate revoked for %(gateway)s"),
        _("The %(usage_label)s certificate for %(gateway)s was revoked: %(reason)s"),
    ),
    NotificationKind.ACCESS_REQUESTED: (
        _("Access to %(service)s requested"),
        _("%(client)s requests access to your service %(service)s (003 §3.2.8)."),
    ),
    NotificationKind.ACCESS_DECIDED: (
        _("Access to %(service)s: %(outcome_label)s"),
        _("Your request for access to %(service)s was decided: %(outcome_label)s. %(comment)s"),
    ),
    NotificationKind.GRANT_CHANGED: (
        _("Access to %(service)s: %(outcome_label)s"),
        _("The access of %(client)s to %(service)s: %(outcome_label)s. %(reason)s"),
    ),
}


class Rendered(tuple[str, str]):
    """A notification's title and text in the active language."""

    @property
    def title(self) -> str:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]


class _Params(dict[str, str]):
    # A parameter a caller left out shows as a dash rather than breaking the inbox.
    def __missing__(self, key: str) -> str:
        return "—"


def _translated(params: Mapping[str, Any]) -> _Params:
    values = _Params()
    for name, value in params.items():
        if name.endswith("_labels") and isinstance(value, list):
            values[name] = ", ".join(gettext(str(item)) for item in value) or "—"
        elif name.endswith("_label"):
            values[name] = gettext(str(value)) if value else "—"
        else:
            values[name] = str(value) if value not in (None, "") else "—"
    return values


def render_kind(kind: str, params: Mapping[str, Any]) -> Rendered:
    """The title and text of ``kind`` with ``params``, in the active language."""
    title, text = _MESSAGES.get(kind, (_("Notification"), ""))
    values = _translated(params)
    return Rendered((str(title) % values, str(text) % values if text else ""))
