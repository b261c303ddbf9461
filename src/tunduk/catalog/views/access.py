"""Owners answer for access to their services (003 §3.2.8); notices go to the operator (§3.2.13).

The owner's engineers grant or refuse requests, grant a subsystem or a group directly,
and revoke grants with a reason. Notices are reported by participants and published by
the Tunduk operator, on the same form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.forms import CommentForm, GrantForm, NoticeForm, ReasonForm
from tunduk.catalog.models import AccessRequest, Grant, Participant, Service
from tunduk.catalog.services.access import decide_access, grant_access, revoke_grant
from tunduk.catalog.services.notices import report_notice
from tunduk.catalog.views._base import (
    Button,
    FormPage,
    ParticipantMixin,
    RoleRequiredMixin,
    attempt,
    participant_of,
)
from tunduk.core.errors import NotPermitted
from tunduk.core.permissions import require_role


class AccessRequestDecisionView(ParticipantMixin, View):
    """A request for one of our services: grant it, or refuse it with a comment."""

    action_name = "decide_access"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.received(pk), CommentForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access_request = self.received(pk)
        form = CommentForm(request.POST)
        grant = request.POST.get("action") == "grant"
        status = 400
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            outcome = attempt(
                form,
                lambda: decide_access(request.user, access_request, grant=grant, comment=comment),
            )
            if outcome.result is not None:
                done = (
                    _("Access is granted to %(client)s.")
                    if grant
                    else _("The request of %(client)s is refused.")
                )
                messages.success(request, done % {"client": access_request.client.identifier})
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(access_request, form).render(request, status)

    def received(self, pk: int) -> AccessRequest:
        return get_object_or_404(
            AccessRequest.objects.select_related(
                "service__subsystem__participant", "client__participant__subject", "endpoint"
            ),
            pk=pk,
            service__subsystem__participant=self.participant,
        )

    def page(self, access_request: AccessRequest, form: CommentForm) -> FormPage:
        return FormPage(
            title=_("Access to %(service)s") % {"service": access_request.service.identifier},
            details="catalog/_access_request_details.html",
            form=form,
            form_id="access-decision-form",
            buttons=[
                Button("grant", gettext_lazy("Grant")),
                Button("refuse", gettext_lazy("Refuse")),
            ],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant, "access_request": access_request},
        )


class GrantCreateView(ParticipantMixin, View):
    """Grant a subsystem or a group access to one of our services, without a request."""

    action_name = "grant_access"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.own_service(pk)
        return self.page(service, GrantForm(service=service)).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.own_service(pk)
        form = GrantForm(request.POST, service=service)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: grant_access(
                    request.user,
                    service,
                    client=data["client"],
                    group=data["group"],
                    endpoint=data["endpoint"],
                ),
            )
            if outcome.ok:
                messages.success(request, _("Access is granted."))
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(service, form).render(request, status)

    def own_service(self, pk: int) -> Service:
        return get_object_or_404(
            Service.objects.select_related("subsystem__participant"),
            pk=pk,
            subsystem__participant=self.participant,
        )

    def page(self, service: Service, form: GrantForm) -> FormPage:
        return FormPage(
            title=_("Grant access to %(service)s") % {"service": service.identifier},
            form=form,
            form_id="grant-form",
            buttons=[Button("grant", gettext_lazy("Grant"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class GrantRevokeView(ParticipantMixin, View):
    """Revoke a grant of one of our services; it stays in the history with the reason."""

    action_name = "revoke_grant"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.own_grant(pk), ReasonForm()).render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.own_grant(pk)
        form = ReasonForm(request.POST)
        status = 400
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            outcome = attempt(form, lambda: revoke_grant(request.user, grant, reason))
            if outcome.ok:
                messages.success(request, _("The grant is revoked."))
                return redirect("catalog:participation")
            status = outcome.status
        return self.page(grant, form).render(request, status)

    def own_grant(self, pk: int) -> Grant:
        return get_object_or_404(
            Grant.objects.select_related(
                "service__subsystem__participant", "client__participant", "group", "endpoint"
            ),
            pk=pk,
            service__subsystem__participant=self.participant,
        )

    def page(self, grant: Grant, form: ReasonForm) -> FormPage:
        return FormPage(
            title=_("Revoke access of %(client)s to %(service)s")
            % {"client": grant.client or grant.group, "service": grant.service.identifier},
            form=form,
            form_id="revoke-form",
            buttons=[Button("revoke", gettext_lazy("Revoke"))],
            back_url=reverse("catalog:participation"),
            extra={"participant": self.participant},
        )


class NoticeCreateView(RoleRequiredMixin, View):
    """A participant reports an outage, maintenance, violation or error at once (003 §3.2.13);
    the Tunduk operator publishes notices about the exchange itself."""

    action_name = "report_notice"

    def check_role(self, request: HttpRequest) -> None:
        require_role(
            request.user, Role.TUNDUK_OPERATOR, Role.SUBJECT_EMPLOYEE, action=self.action_name
        )
        self.participant = participant_of(request)
        if self.participant is None and not signed_in_user(request).is_tunduk_operator:
            raise NotPermitted(
                _("Only participants of Tunduk and the Tunduk operator report notices."),
                actor=request.user,
                action=self.action_name,
            )

    participant: Participant | None

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(NoticeForm(participant=self.participant)).render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NoticeForm(request.POST, participant=self.participant)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            outcome = attempt(
                form,
                lambda: report_notice(
                    request.user,
                    self.participant,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    subsystem=data.get("subsystem"),
                ),
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("The notice is published.")
                    if self.participant is None
                    else _("The operator has been notified."),
                )
                return redirect(
                    "catalog:notice-list" if self.participant is None else "catalog:participation"
                )
            status = outcome.status
        return self.page(form).render(request, status)

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
