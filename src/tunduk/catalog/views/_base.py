"""What every Catalog page needs: role checks, the 403 page, and showing a service's error.

Wrong roles get an audited 403 page before the view runs. Once a page is open, a
service may still refuse (``NotPermitted``: a suspended participant, another owner's
object); that refusal was audited by the service and is shown on the form with the
status code 403, so the user sees why next to what they tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.catalog.models import Participant
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.core.permissions import record_denial, require_role

T = TypeVar("T")


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The Catalog's 403 page, saying why."""
    return render(request, "catalog/forbidden.html", {"reason": message}, status=403)


@dataclass
class Outcome(Generic[T]):
    """A service call's result, or ``None`` and the HTTP status of its refusal."""

    result: T | None
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.result is not None


def attempt(
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    formsets: Mapping[str, forms.BaseFormSet[forms.Form]] | None = None,
    rename: Mapping[str, str] | None = None,
) -> Outcome[T]:
    """Run a service call; a refusal is shown on ``form`` next to the field it names."""
    try:
        return Outcome(call())
    except RuleError as error:
        if isinstance(error, NotPermitted):
            record_denial(error)  # no-op when the service has already audited it
        show_error(form, error, formsets=formsets, rename=rename)
        return Outcome(None, error.status_code)


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


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users who pass ``check_role``; anyone else gets an audited 403 page."""

    action_name = "catalog_page"
    request: HttpRequest  # set by ``View.setup`` before ``dispatch``

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.check_role(request)
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as denied:
            record_denial(denied)
            return forbidden(request, denied.message)

    def check_role(self, request: HttpRequest) -> None:
        raise NotImplementedError


class TundukOperatorMixin(RoleRequiredMixin):
    """Pages of the Tunduk operator (003 §3.1)."""

    def check_role(self, request: HttpRequest) -> None:
        require_role(request.user, Role.TUNDUK_OPERATOR, action=self.action_name)


def participant_of(request: HttpRequest) -> Participant | None:
    """The participant whose engineers include the signed-in user, if any."""
    if not request.user.is_authenticated:
        return None
    user = signed_in_user(request)
    if user.role != Role.SUBJECT_EMPLOYEE or user.subject_id is None:
        return None
    return Participant.objects.filter(subject_id=user.subject_id).first()


class ParticipantMixin(RoleRequiredMixin):
    """Pages of a participant's engineers: the authorised employees of its subject."""

    participant: Participant

    def check_role(self, request: HttpRequest) -> None:
        require_role(request.user, Role.SUBJECT_EMPLOYEE, action=self.action_name)
        participant = participant_of(request)
        if participant is None:
            raise NotPermitted(
                _(
                    "Your subject is not a participant of Tunduk yet: the Tunduk operator "
                    "registers participants in the Catalog (003 §3.1.1)."
                ),
                actor=request.user,
                action=self.action_name,
            )
        self.participant = participant
