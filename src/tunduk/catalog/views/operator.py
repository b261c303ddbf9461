"""The Tunduk operator's pages: start page, participants and their status (003 §3.1.1, §4), groups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.catalog.choices import (
    AccessRequestStatus,
    CertificateStatus,
    GatewayStatus,
    StatusChangeKind,
)
from tunduk.catalog.forms import GroupForm, MembershipForm, ParticipantForm, StatusChangeForm
from tunduk.catalog.lifecycle import PARTICIPANT
from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    Certificate,
    ConfigurationVersion,
    Gateway,
    Group,
    Participant,
)
from tunduk.catalog.services.access import create_group, set_group_membership
from tunduk.catalog.services.participants import change_status, register_participant
from tunduk.catalog.views._base import Button, FormPage, TundukOperatorMixin, attempt

# The operator's status changes; leaving is the participant's own (003 §4).
OPERATOR_CHANGES = (
    StatusChangeKind.SUSPEND,
    StatusChangeKind.REINSTATE,
    StatusChangeKind.DISCONNECT,
)


class OperatorHomeView(TundukOperatorMixin, View):
    """What waits for the operator, and the current global configuration."""

    action_name = "catalog_operator_home"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "participants": Participant.objects.select_related("subject"),
            "gateway_count": Gateway.objects.filter(status=GatewayStatus.REQUESTED).count(),
            "certificate_count": Certificate.objects.filter(
                status=CertificateStatus.REQUESTED
            ).count(),
            "pending_access": AccessRequest.objects.filter(
                status=AccessRequestStatus.PENDING
            ).count(),
            "configuration": ConfigurationVersion.objects.only(
                "version", "generated_at", "expires_at"
            ).first(),
        }
        return render(request, "catalog/operator_home.html", context)


class ParticipantCreateView(TundukOperatorMixin, View):
    """Register an accounting subject as a participant with its member code (003 §3.1.1)."""

    action_name = "register_participant"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(ParticipantForm()).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ParticipantForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: register_participant(
                    request.user, data["subject"], data["member_class"], data["member_code"]
                ),
            )
            if outcome.result is not None:
                messages.success(
                    request,
                    _("%(member)s is registered in the Catalog.")
                    % {"member": outcome.result.identifier},
                )
                return redirect("catalog:participant-detail", pk=outcome.result.pk)
            status = outcome.status
        return self.page(form).render(request, status)

    @staticmethod
    def page(form: ParticipantForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Register a participant"),
            intro=gettext_lazy(
                "The operator registers each owner of information systems in the Catalog "
                "(003 §3.1.1). The identifier is %(instance)s/CLASS/CODE."
            )
            % {"instance": settings.TUNDUK_INSTANCE},
            form=form,
            form_id="participant-form",
            buttons=[Button("register", gettext_lazy("Register"))],
            back_url=reverse("catalog:operator-home"),
        )


class ParticipantDetailView(TundukOperatorMixin, View):
    """A participant's status history and the operator's suspend / reinstate / disconnect (003 §4)."""

    action_name = "participant_status"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self.get_participant(pk)
        return self.page(participant, StatusChangeForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        participant = self.get_participant(pk)
        form = StatusChangeForm(request.POST)
        kind = request.POST.get("action", "")
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: change_status(
                    request.user, participant, kind, data["reason"], data["effective_at"]
                ),
            )
            if outcome.result is not None:
                messages.success(request, status_message(outcome.result))
                return redirect("catalog:participant-detail", pk=participant.pk)
            status = outcome.status
        return self.page(participant, form).render(request, status)

    @staticmethod
    def get_participant(pk: int) -> Participant:
        return get_object_or_404(Participant.objects.select_related("subject"), pk=pk)

    @staticmethod
    def page(participant: Participant, form: StatusChangeForm) -> FormPage:
        buttons = [
            Button(kind, StatusChangeKind(kind).label)
            for kind in OPERATOR_CHANGES
            if PARTICIPANT.allowed(participant.status, kind)
        ]
        return FormPage(
            title=str(participant.subject),
            intro=gettext_lazy(
                "Both sides give prior notice stating the reasons (003 §4): the participant's "
                "employees are e-mailed at once."
            ),
            details="catalog/_participant_details.html",
            form=form,
            form_id="status-form",
            buttons=buttons,
            back_url=reverse("catalog:operator-home"),
            extra={
                "participant": participant,
                "changes": participant.status_changes.select_related("decided_by"),
                "subsystems": participant.subsystems.all(),
                "gateways": participant.gateways.all(),
                "agreements": Agreement.objects.filter(participant=participant).select_related(
                    "participant", "counterparty", "service__subsystem__participant"
                ),
            },
        )


def status_message(change: Any) -> str:
    """What the user is told after a status change was notified."""
    if change.applied_at is not None:
        return _("%(change)s of %(member)s is in effect.") % {
            "change": change.get_kind_display(),
            "member": change.participant.identifier,
        }
    return _("%(change)s of %(member)s is notified and takes effect at %(when)s.") % {
        "change": change.get_kind_display(),
        "member": change.participant.identifier,
        "when": change.effective_at,
    }


class GroupListView(TundukOperatorMixin, View):
    """Global groups of subsystems, and creating one."""

    action_name = "create_group"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(GroupForm()).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GroupForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: create_group(
                    request.user, settings.TUNDUK_INSTANCE, data["code"], data["description"]
                ),
            )
            if outcome.result is not None:
                return redirect("catalog:group-detail", pk=outcome.result.pk)
            status = outcome.status
        return self.page(form).render(request, status)

    @staticmethod
    def page(form: GroupForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Groups"),
            details="catalog/_group_list.html",
            form=form,
            form_id="group-form",
            buttons=[Button("register", gettext_lazy("Create the group"))],
            extra={"groups": Group.objects.all()},
        )


class GroupDetailView(TundukOperatorMixin, View):
    """A group's current members; add one, or end a membership (kept in the history)."""

    action_name = "group_membership"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = get_object_or_404(Group, pk=pk)
        return self.page(group, MembershipForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = get_object_or_404(Group, pk=pk)
        form = MembershipForm(request.POST)
        add = request.POST.get("action") != "revoke"
        status = 400
        if form.is_valid():
            subsystem = form.cleaned_data["subsystem"]
            outcome = attempt(
                form,
                lambda: set_group_membership(request.user, group, subsystem, member=add) or group,
            )
            if outcome.ok:
                return redirect("catalog:group-detail", pk=group.pk)
            status = outcome.status
        return self.page(group, form).render(request, status)

    @staticmethod
    def page(group: Group, form: MembershipForm) -> FormPage:
        memberships = group.memberships.filter(removed_at__isnull=True).select_related(
            "subsystem__participant"
        )
        return FormPage(
            title=str(group.identifier),
            intro=group.description,
            details="catalog/_group_members.html",
            form=form,
            form_id="group-membership-form",
            buttons=[Button("save", gettext_lazy("Add to the group"))],
            back_url=reverse("catalog:group-list"),
            extra={"group": group, "memberships": memberships},
        )
