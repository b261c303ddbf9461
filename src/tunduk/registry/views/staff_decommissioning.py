"""Decommissioning: the authorised body agrees (000 §27), the operator records it (000 §29)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.registry import services
from tunduk.registry.choices import DecommissioningStatus
from tunduk.registry.forms.staff import CommentForm
from tunduk.registry.models import DecommissioningNotice
from tunduk.registry.views.staff import StaffPage, mark_deadline
from tunduk.workdays.deadlines import Deadline, today_local

HISTORY_SHOWN = 50
STAFF_ROLES = (Role.AUTHORISED_BODY, Role.OPERATOR)
PENDING = (DecommissioningStatus.NOTIFIED, DecommissioningStatus.AGREED)


def actions_for(user: Actor, notice: DecommissioningNotice) -> list[str]:
    """The buttons this user may press on this notice now."""
    if not user.is_authenticated:
        return []
    if user.role == Role.AUTHORISED_BODY and notice.status == DecommissioningStatus.NOTIFIED:
        return ["agree", "not_agree"]
    if user.role == Role.OPERATOR and notice.status == DecommissioningStatus.AGREED:
        return ["record"]
    return []


def _notices() -> Any:
    return DecommissioningNotice.objects.select_related(
        "element", "element__subject", "decision_document"
    )


class DecommissioningListView(StaffPage):
    """Notices to agree, notices to record (with the 000 §29 due date), and the history."""

    allowed_roles = STAFF_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        today = today_local()
        pending = mark_deadline(
            list(_notices().filter(status__in=PENDING).order_by("record_due", "notified_at")),
            "record_due",
            today,
        )
        mine = (
            DecommissioningStatus.NOTIFIED
            if self.role == Role.AUTHORISED_BODY
            else DecommissioningStatus.AGREED
        )
        context = {
            "to_do": [notice for notice in pending if notice.status == mine],
            "waiting": [notice for notice in pending if notice.status != mine],
            "history": _notices()
            .exclude(status__in=PENDING)
            .order_by("-notified_at", "-id")[:HISTORY_SHOWN],
            "record_deadline": Deadline.DECOMMISSIONING_RECORD,
            "notice_deadline": Deadline.DECOMMISSIONING_NOTICE,
        }
        return self.render_page("staff_decommissioning_list.html", context)


class DecommissioningDetailView(StaffPage):
    """One notice with the decision copy, its deadlines, and the viewer's actions."""

    allowed_roles = STAFF_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.show(get_object_or_404(_notices(), pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404(_notices(), pk=pk)
        action = request.POST.get("action", "")
        form = CommentForm(request.POST)
        form.is_valid()
        comment = form.cleaned_data.get("comment", "")
        user = request.user
        calls: dict[str, Callable[[], object]] = {
            "agree": lambda: services.decide_decommissioning(
                user, notice, agree=True, comment=comment
            ),
            "not_agree": lambda: services.decide_decommissioning(
                user, notice, agree=False, comment=comment
            ),
            "record": lambda: services.record_decommissioning(user, notice),
        }
        if action not in calls:
            return self.show(notice, errors=[_("Unknown action.")], status=400)
        try:
            calls[action]()
        except NotPermitted:
            raise  # the audited 403 page
        except RuleError as error:
            errors = self.place_error(form, error)
            return self.show(notice, form=form, errors=errors, status=error.status_code)
        done = {
            "agree": _("The decommissioning is agreed; the operator will record it."),
            "not_agree": _("The decommissioning is not agreed; the element stays registered."),
            "record": _("The decommissioning has been entered into the Registry."),
        }
        messages.success(request, done[action])
        return self.redirect_back(reverse("registry:decommissioning-detail", args=[notice.pk]))

    def show(
        self,
        notice: DecommissioningNotice,
        *,
        form: CommentForm | None = None,
        errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The detail page of ``notice`` as it is now."""
        notice.refresh_from_db()
        mark_deadline([notice], "record_due", today_local())
        context = {
            "notice": notice,
            "element": notice.element,
            "actions": actions_for(self.request.user, notice),
            "pending": notice.status in PENDING,
            "comment_form": form or CommentForm(),
            "errors": errors or [],
            "record_deadline": Deadline.DECOMMISSIONING_RECORD,
            "notice_deadline": Deadline.DECOMMISSIONING_NOTICE,
        }
        return self.render_page("staff_decommissioning_detail.html", context, status=status)
