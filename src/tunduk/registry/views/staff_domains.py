"""The Registry operator's list of state e-mail domains (000 §16, §19)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.views import RoleRequiredMixin, ServiceFormView
from tunduk.registry import services
from tunduk.registry.models import StateDomain


class StateDomainForm(forms.Form):
    """A domain to add, with an optional note."""

    domain = forms.CharField(
        label=gettext_lazy("Domain"),
        max_length=253,
        help_text=gettext_lazy("For example gov.kg; its subdomains are covered too."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


class StateDomainListView(ServiceFormView[None, StateDomain]):
    """The list, and a form to add a domain; the Registry operator only."""

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.OPERATOR,)
    template_name = "registry/staff_state_domains.html"
    form_class = StateDomainForm

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> StateDomain:
        return services.add_state_domain(actor, data["domain"], data.get("note", ""))

    def get_success_message(self, result: StateDomain) -> str:
        return _("%(domain)s added to the state domains.") % {"domain": result.domain}

    def get_success_url(self, result: StateDomain) -> str:
        return reverse("registry:state-domain-list")

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        context = {"domains": StateDomain.objects.all(), "form": form}
        return render(self.request, self.template_name, context, status=status)


class StateDomainRemoveView(RoleRequiredMixin, View):
    """Remove one domain (POST); the Registry operator only."""

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.OPERATOR,)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        domain = get_object_or_404(StateDomain, pk=pk)
        name = domain.domain
        services.remove_state_domain(request.user, domain)
        messages.success(
            request, _("%(domain)s removed from the state domains.") % {"domain": name}
        )
        return HttpResponseRedirect(reverse("registry:state-domain-list"))
