"""The element life cycle as an explicit state machine.

draft → submitted → registered | refused; refused → submitted (resubmission);
registered → change_submitted → registered | change_refused; change_refused → change_submitted;
registered → decommissioning_notified → decommissioning_agreed → decommissioned;
decommissioning_notified → registered when the authorised body does not agree.
Decommissioned is final: the element stays readable forever.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tunduk.core.errors import TransitionError
from tunduk.registry.choices import ElementStatus as S


class Action(StrEnum):
    """Everything that moves an element from one state to another."""

    EDIT = "edit"
    SUBMIT = "submit"
    REGISTER = "register"
    REFUSE = "refuse"
    SUBMIT_CHANGE = "submit_change"
    ACCEPT_CHANGE = "accept_change"
    REFUSE_CHANGE = "refuse_change"
    NOTIFY_DECOMMISSIONING = "notify_decommissioning"
    AGREE_DECOMMISSIONING = "agree_decommissioning"
    REJECT_DECOMMISSIONING = "reject_decommissioning"
    RECORD_DECOMMISSIONING = "record_decommissioning"


TRANSITIONS: dict[tuple[str, Action], str] = {
    (S.DRAFT, Action.EDIT): S.DRAFT,
    (S.REFUSED, Action.EDIT): S.REFUSED,
    (S.REGISTERED, Action.EDIT): S.REGISTERED,
    (S.CHANGE_REFUSED, Action.EDIT): S.CHANGE_REFUSED,
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.REFUSED, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.REGISTER): S.REGISTERED,
    (S.SUBMITTED, Action.REFUSE): S.REFUSED,
    (S.REGISTERED, Action.SUBMIT_CHANGE): S.CHANGE_SUBMITTED,
    (S.CHANGE_REFUSED, Action.SUBMIT_CHANGE): S.CHANGE_SUBMITTED,
    (S.CHANGE_SUBMITTED, Action.ACCEPT_CHANGE): S.REGISTERED,
    (S.CHANGE_SUBMITTED, Action.REFUSE_CHANGE): S.CHANGE_REFUSED,
    (S.REGISTERED, Action.NOTIFY_DECOMMISSIONING): S.DECOMMISSIONING_NOTIFIED,
    (S.CHANGE_REFUSED, Action.NOTIFY_DECOMMISSIONING): S.DECOMMISSIONING_NOTIFIED,
    (S.DECOMMISSIONING_NOTIFIED, Action.AGREE_DECOMMISSIONING): S.DECOMMISSIONING_AGREED,
    (S.DECOMMISSIONING_NOTIFIED, Action.REJECT_DECOMMISSIONING): S.REGISTERED,
    (S.DECOMMISSIONING_AGREED, Action.RECORD_DECOMMISSIONING): S.DECOMMISSIONED,
}

OPEN_FOR_REVIEW = (S.SUBMITTED, S.CHANGE_SUBMITTED)
# Every state an element can be in once it has been registered: the public sees these.
# Drafts, refusals and first submissions of never-registered records stay with the subject.
PUBLIC_STATUSES = (
    S.REGISTERED,
    S.CHANGE_SUBMITTED,
    S.CHANGE_REFUSED,
    S.DECOMMISSIONING_NOTIFIED,
    S.DECOMMISSIONING_AGREED,
    S.DECOMMISSIONED,
)
EDITABLE = tuple(status for (status, action) in TRANSITIONS if action == Action.EDIT)


def allowed(status: str, action: Action) -> bool:
    """Whether ``action`` may be taken on an element in ``status``."""
    return (status, action) in TRANSITIONS


def next_status(status: str, action: Action) -> str:
    """The state after ``action``; raises ``TransitionError`` naming both when not allowed."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(
            _("This action (%(action)s) is not possible while the element is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": S(status).label},
            field="status",
            status=status,
            action=str(action),
        ) from None


ACTION_LABELS = {
    Action.EDIT: gettext_lazy("edit"),
    Action.SUBMIT: gettext_lazy("submit for registration"),
    Action.REGISTER: gettext_lazy("register"),
    Action.REFUSE: gettext_lazy("refuse registration"),
    Action.SUBMIT_CHANGE: gettext_lazy("submit a change"),
    Action.ACCEPT_CHANGE: gettext_lazy("accept the change"),
    Action.REFUSE_CHANGE: gettext_lazy("refuse the change"),
    Action.NOTIFY_DECOMMISSIONING: gettext_lazy("notify decommissioning"),
    Action.AGREE_DECOMMISSIONING: gettext_lazy("agree decommissioning"),
    Action.REJECT_DECOMMISSIONING: gettext_lazy("not agree decommissioning"),
    Action.RECORD_DECOMMISSIONING: gettext_lazy("record decommissioning"),
}
