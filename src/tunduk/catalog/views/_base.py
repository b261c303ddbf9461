"""What every Catalog page needs: the role mixins, and one form page calling a service.

Wrong roles get the audited, shared 403 page before the view runs (``core.views``). Once a
page is open, a service may still refuse (``NotPermitted``: a suspended participant,
another owner's object); that refusal was audited by the service and is shown on the form
with the status code 403, so the user sees why next to what they tried. Other
``RuleError``s are shown on the form next to the field they name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django import forms
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.models import Participant
from tunduk.core.actors import Member
from tunduk.core.errors import NotPermitted
from tunduk.core.views import RoleRequiredMixin, ServiceFormView

Obj = TypeVar("Obj")
Result = TypeVar("Result")


class CatalogPageMixin(RoleRequiredMixin):
    """A Catalog page behind a role; its 403 page leads back to the Catalog."""

    def forbidden_context(self) -> dict[str, Any]:
        return {"back_url": reverse("catalog:participant-list")}


@dataclass(frozen=True)
class Button:
    """A submit button of a form page: ``name="action"`` and its value, for tests and people."""

    value: str
    label: str | Promise


@dataclass
class FormPage:
    """What ``catalog/form_page.html`` shows: a heading, optional details, one form."""

    title: str | Promise
    form: forms.BaseForm
    form_id: str
    buttons: Iterable[Button]
    intro: str | Promise = ""
    details: str = ""  # a template included above the form
    formsets: Mapping[str, forms.BaseFormSet[forms.Form]] = field(default_factory=dict)
    multipart: bool = False
    back_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def render(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        context = {"page": self, **self.extra}
        return render(request, "catalog/form_page.html", context, status=status)


class TundukOperatorMixin(CatalogPageMixin):
    """Pages of the Tunduk operator (003 §3.1)."""

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.TUNDUK_OPERATOR,)


def participant_of(request: HttpRequest) -> Participant | None:
    """The participant whose engineers include the signed-in user, if any."""
    if not request.user.is_authenticated:
        return None
    user = signed_in_user(request)
    if user.role != Role.SUBJECT_EMPLOYEE or user.subject_id is None:
        return None
    return Participant.objects.filter(subject_id=user.subject_id).first()


class ParticipantMixin(CatalogPageMixin):
    """Pages of a participant's engineers: the authorised employees of its subject."""

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.SUBJECT_EMPLOYEE,)
    participant: Participant

    def check_role(self, actor: Member) -> None:
        super().check_role(actor)
        participant = participant_of(self.request)
        if participant is None:
            raise NotPermitted(
                _(
                    "Your subject is not a participant of Tunduk yet: the Tunduk operator "
                    "registers participants in the Catalog (003 §3.1.1)."
                ),
                actor=actor,
                action=self.action_name,
            )
        self.participant = participant


class FormPageView(CatalogPageMixin, ServiceFormView[Obj, Result]):
    """A Catalog form page (``catalog/form_page.html``) calling a service: ``page`` describes it.

    A service's refusal (``NotPermitted``) is shown on the form, answered 403.
    """

    refusal_on_form = True

    def page(self, form: Any) -> FormPage:
        """The heading, details, form and buttons of the page."""
        raise NotImplementedError

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        return self.page(form).render(self.request, status)
