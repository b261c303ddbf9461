"""Prior notice of suspension, disconnection and leaving (003 §4).

003 §4 obliges each side to send the other prior notice, with its reasons, before the
operator suspends or disconnects a participant or a participant leaves. The agreement
names no period, so the Catalog requires one: ``PRIOR_NOTICE`` after the notice is the
earliest such a change may take effect. Reinstatement and activation need no notice.

The one exception is the suspension the agreement lets the operator make at once to
protect the exchange (003 §2.4, §2.6: a security incident). It is marked as such on the
change, and nothing else may skip the notice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk.catalog.choices import StatusChangeKind
from tunduk.core.errors import InvalidInput

__all__ = [
    "AT_ONCE_FOR_SECURITY_INCIDENT",
    "NEEDS_PRIOR_NOTICE",
    "PRIOR_NOTICE",
    "check_effective_at",
    "default_effective_at",
    "earliest_effect",
]

PRIOR_NOTICE = timedelta(days=10)
"""How long before a suspension, disconnection or leaving its notice must be sent."""

NEEDS_PRIOR_NOTICE = frozenset(
    {StatusChangeKind.SUSPEND, StatusChangeKind.DISCONNECT, StatusChangeKind.LEAVE}
)
AT_ONCE_FOR_SECURITY_INCIDENT = frozenset({StatusChangeKind.SUSPEND})

_MINUTE = timedelta(minutes=1)


def earliest_effect(kind: str, notified_at: datetime) -> datetime:
    """The first whole minute at which a change of ``kind`` notified at ``notified_at`` may
    take effect (at once when it needs no notice)."""
    if kind not in NEEDS_PRIOR_NOTICE:
        return notified_at
    end = notified_at + PRIOR_NOTICE
    rounded = end.replace(second=0, microsecond=0)
    return rounded if rounded == end else rounded + _MINUTE


def default_effective_at(kind: str, *, security_incident: bool) -> datetime | None:
    """What a form left empty means: as early as allowed (``None``: at once)."""
    if security_incident or kind not in NEEDS_PRIOR_NOTICE:
        return None
    return earliest_effect(kind, timezone.now())


def check_effective_at(
    kind: str,
    notified_at: datetime,
    effective_at: datetime | None,
    *,
    security_incident: bool,
) -> datetime:
    """When the change takes effect: ``effective_at`` (now when omitted), refused with a
    specific error when it comes before the notice has run (003 §4)."""
    if security_incident and kind not in AT_ONCE_FOR_SECURITY_INCIDENT:
        raise InvalidInput(
            _(
                "Only a suspension may be made at once for a security incident (003 §4); "
                "a %(change)s needs prior notice."
            )
            % {"change": StatusChangeKind(kind).label.lower()},
            field="security_incident",
        )
    moment = effective_at or notified_at
    if moment < notified_at - _MINUTE:
        raise InvalidInput(_("The change cannot take effect in the past."), field="effective_at")
    if security_incident:
        return max(moment, notified_at)
    earliest = earliest_effect(kind, notified_at)
    # Notices are counted to the minute: a time chosen a moment before the notice was sent
    # (a form, a client's clock) is not refused for the seconds in between.
    if moment < earliest - _MINUTE:
        raise InvalidInput(
            _(
                "A %(change)s takes effect no earlier than %(days)d days after its notice "
                "(003 §4): at %(earliest)s at the earliest. Only a suspension for a security "
                "incident may take effect at once."
            )
            % {
                "change": StatusChangeKind(kind).label.lower(),
                "days": PRIOR_NOTICE.days,
                "earliest": timezone.localtime(earliest).strftime("%Y-%m-%d %H:%M"),
            },
            field="effective_at",
        )
    return max(moment, notified_at)
