"""The Tunduk operator's pages: start page, participants and their status (003 §3.1.1, §4), groups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
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
from tunduk.catalog.forms import (
    GroupForm,
    MembershipForm,
    OperatorStatusChangeForm,
    ParticipantForm,
)
from tunduk.catalog.lifecycle import PARTICIPANT
from tunduk.catalog.models import (
    AccessRequest,
    Agreement,
    Certificate,
    ConfigurationVersion,
    Gateway,
    Group,
    Participant,
    ParticipantStatusChange,
)
from tunduk.catalog.prior_notice import default_effective_at
from tunduk.catalog.services.access import create_group, set_group_membership
from tunduk.catalog.services.participants import (
    apply_due_changes,
    change_status,
    register_participant,
)
from tunduk.catalog.views._base import Button, FormPage, FormPageView, TundukOperatorMixin
from tunduk.core.actors import Actor

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


class ParticipantCreateView(TundukOperatorMixin, FormPageView[None, Participant]):
    """Register an accounting subject as a participant with its member code (003 §3.1.1)."""

    action_name = "register_participant"
    form_class = ParticipantForm

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Participant:
        return register_participant(
            actor, data["subject"], data["member_class"], data["member_code"]
        )

    def get_success_message(self, result: Participant) -> str:
        return _("%(member)s is registered in the Catalog.") % {"member": result.identifier}

    def get_success_url(self, result: Participant) -> str:
        return reverse("catalog:participant-detail", args=[result.pk])

    def page(self, form: ParticipantForm) -> FormPage:
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


class ParticipantDetailView(
    TundukOperatorMixin, FormPageView[Participant, ParticipantStatusChange]
):
    """A participant's status history and the operator's suspend / reinstate / disconnect (003 §4)."""

    action_name = "participant_status"
    form_class = OperatorStatusChangeForm

    def get_object(self) -> Participant:
        participant = get_object_or_404(
            Participant.objects.select_related("subject"), pk=self.kwargs["pk"]
        )
        # Show the status in effect now, even before the scheduled task applied it (003 §4).
        if apply_due_changes(participant):
            participant.refresh_from_db(fields=["status"])
        return participant

    def service(
        self, actor: Actor, obj: Participant, data: dict[str, Any]
    ) -> ParticipantStatusChange:
        kind = self.request.POST.get("action", "")
        incident = bool(data.get("security_incident"))
        return change_status(
            actor,
            obj,
            kind,
            data["reason"],
            data["effective_at"] or default_effective_at(kind, security_incident=incident),
            security_incident=incident,
        )

    def get_success_message(self, result: ParticipantStatusChange) -> str:
        return status_message(result)

    def get_success_url(self, result: ParticipantStatusChange) -> str:
        return reverse("catalog:participant-detail", args=[self.object.pk])

    def page(self, form: OperatorStatusChangeForm) -> FormPage:
        participant = self.object
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


def status_message(change: ParticipantStatusChange) -> str:
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


class GroupListView(TundukOperatorMixin, FormPageView[None, Group]):
    """Global groups of subsystems, and creating one."""

    action_name = "create_group"
    form_class = GroupForm

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Group:
        return create_group(actor, settings.TUNDUK_INSTANCE, data["code"], data["description"])

    def get_success_url(self, result: Group) -> str:
        return reverse("catalog:group-detail", args=[result.pk])

    def page(self, form: GroupForm) -> FormPage:
        return FormPage(
            title=gettext_lazy("Groups"),
            details="catalog/_group_list.html",
            form=form,
            form_id="group-form",
            buttons=[Button("register", gettext_lazy("Create the group"))],
            extra={"groups": Group.objects.all()},
        )


class GroupDetailView(TundukOperatorMixin, FormPageView[Group, None]):
    """A group's current members; add one, or end a membership (kept in the history)."""

    action_name = "group_membership"
    form_class = MembershipForm

    def get_object(self) -> Group:
        return get_object_or_404(Group, pk=self.kwargs["pk"])

    def service(self, actor: Actor, obj: Group, data: dict[str, Any]) -> None:
        add = self.request.POST.get("action") != "revoke"
        set_group_membership(actor, obj, data["subsystem"], member=add)

    def get_success_url(self, result: None) -> str:
        return reverse("catalog:group-detail", args=[self.object.pk])

    def page(self, form: MembershipForm) -> FormPage:
        group = self.object
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
