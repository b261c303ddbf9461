"""Owners answer for access to their services (003 §3.2.8); notices go to the operator (§3.2.13).

The owner's engineers grant or refuse requests, grant a subsystem or a group directly,
and revoke grants with a reason. Notices are reported by participants and published by
the Tunduk operator, on the same form.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tunduk.accounts.choices import Role
from tunduk.catalog.choices import AccessRequestStatus
from tunduk.catalog.forms import CommentForm, GrantForm, NoticeForm, ReasonForm
from tunduk.catalog.models import AccessRequest, Grant, Notice, Participant, Service
from tunduk.catalog.services.access import decide_access, grant_access, revoke_grant
from tunduk.catalog.services.notices import report_notice
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    FormPageView,
    ParticipantMixin,
    participant_of,
)
from tunduk.core.actors import Actor, Member
from tunduk.core.errors import NotPermitted


class AccessRequestDecisionView(ParticipantMixin, FormPageView[AccessRequest, AccessRequest]):
    """A request for one of our services: grant it, or refuse it with a comment."""

    action_name = "decide_access"
    form_class = CommentForm

    def get_object(self) -> AccessRequest:
        return get_object_or_404(
            AccessRequest.objects.select_related(
                "service__subsystem__participant", "client__participant__subject", "endpoint"
            ),
            pk=self.kwargs["pk"],
            service__subsystem__participant=self.participant,
        )

    def granting(self) -> bool:
        """Whether the engineer pressed "Grant" (otherwise the request is refused)."""
        return self.request.POST.get("action") == "grant"

    def service(self, actor: Actor, obj: AccessRequest, data: dict[str, Any]) -> AccessRequest:
        return decide_access(actor, obj, grant=self.granting(), comment=data["comment"])

    def get_success_message(self, result: AccessRequest) -> str:
        done = (
            _("Access is granted to %(client)s.")
            if self.granting()
            else _("The request of %(client)s is refused.")
        )
        return done % {"client": self.object.client.identifier}

    def get_success_url(self, result: AccessRequest) -> str:
        return reverse("catalog:participation")

    def page(self, form: CommentForm) -> FormPage:
        access_request = self.object
        return FormPage(
            title=_("Access to %(service)s") % {"service": access_request.service.identifier},
            details="catalog/_access_request_details.html",
            form=form,
            form_id="access-decision-form",
            # A decided request offers no decision; its status says how it was decided.
            buttons=[
                Button("grant", gettext_lazy("Grant")),
                Button("refuse", gettext_lazy("Refuse")),
            ]
            if access_request.status == AccessRequestStatus.PENDING
            else [],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant, "access_request": access_request},
        )


class GrantCreateView(ParticipantMixin, FormPageView[Service, Grant]):
    """Grant a subsystem or a group access to one of our services, without a request."""

    action_name = "grant_access"
    form_class = GrantForm
    success_message = gettext_lazy("Access is granted.")

    def get_object(self) -> Service:
        return get_object_or_404(
            Service.objects.select_related("subsystem__participant"),
            pk=self.kwargs["pk"],
            subsystem__participant=self.participant,
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"service": self.object}

    def service(self, actor: Actor, obj: Service, data: dict[str, Any]) -> Grant:
        return grant_access(
            actor, obj, client=data["client"], group=data["group"], endpoint=data["endpoint"]
        )

    def get_success_url(self, result: Grant) -> str:
        return reverse("catalog:participation")

    def page(self, form: GrantForm) -> FormPage:
        return FormPage(
            title=_("Grant access to %(service)s") % {"service": self.object.identifier},
            form=form,
            form_id="grant-form",
            buttons=[Button("grant", gettext_lazy("Grant"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class GrantRevokeView(ParticipantMixin, FormPageView[Grant, Grant]):
    """Revoke a grant of one of our services; it stays in the history with the reason."""

    action_name = "revoke_grant"
    form_class = ReasonForm
    success_message = gettext_lazy("The grant is revoked.")

    def get_object(self) -> Grant:
        return get_object_or_404(
            Grant.objects.select_related(
                "service__subsystem__participant", "client__participant", "group", "endpoint"
            ),
            pk=self.kwargs["pk"],
            service__subsystem__participant=self.participant,
        )

    def service(self, actor: Actor, obj: Grant, data: dict[str, Any]) -> Grant:
        return revoke_grant(actor, obj, data["reason"])

    def get_success_url(self, result: Grant) -> str:
        return reverse("catalog:participation")

    def page(self, form: ReasonForm) -> FormPage:
        grant = self.object
        return FormPage(
            title=_("Revoke access of %(client)s to %(service)s")
            % {"client": grant.client or grant.group, "service": grant.service.identifier},
            form=form,
            form_id="revoke-form",
            buttons=[Button("revoke", gettext_lazy("Revoke"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class NoticeCreateView(FormPageView[None, Notice]):
    """A participant reports an outage, maintenance, violation or error at once (003 §3.2.13);
    the Tunduk operator publishes notices about the exchange itself."""

    action_name = "report_notice"
    allowed_roles = (Role.TUNDUK_OPERATOR, Role.SUBJECT_EMPLOYEE)
    form_class = NoticeForm
    participant: Participant | None

    def check_role(self, actor: Member) -> None:
        super().check_role(actor)
        self.participant = participant_of(self.request)
        if self.participant is None and actor.role != Role.TUNDUK_OPERATOR:
            raise NotPermitted(
                _("Only participants of Tunduk and the Tunduk operator report notices."),
                actor=actor,
                action=self.action_name,
            )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"participant": self.participant}

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Notice:
        return report_notice(
            actor,
            self.participant,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            subsystem=data.get("subsystem"),
        )

    def get_success_message(self, result: Notice) -> str:
        if self.participant is None:
            return _("The notice is published.")
        return _("The operator has been notified.")

    def get_success_url(self, result: Notice) -> str:
        return reverse(
            "catalog:notice-list" if self.participant is None else "catalog:participation"
        )

    def page(self, form: NoticeForm) -> FormPage:
        operator = self.participant is None
        return FormPage(
            title=gettext_lazy("Publish a notice")
            if operator
            else gettext_lazy("Report to the operator"),
            intro=""
            if operator
            else gettext_lazy(
                "Tell the operator at once about an outage, planned maintenance, a violation "
                "or an error in operation (003 §3.2.13)."
            ),
            form=form,
            form_id="notice-form",
            buttons=[
                Button("save", gettext_lazy("Publish") if operator else gettext_lazy("Report"))
            ],
            back_url=reverse("catalog:notice-list" if operator else "catalog:participation"),
            extra={"participant": self.participant},
        )
