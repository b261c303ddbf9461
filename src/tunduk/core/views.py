"""One way to guard a page and one view for a form that calls a service (NetBox's generic views).

``RoleRequiredMixin`` lets in signed-in users whose role is in ``allowed_roles`` (or who
pass the ``check_role`` hook); the public is sent to sign in. Any ``NotPermitted`` raised
while the page runs, by the role check, an ownership check or a service, is audited once
and answered with the one shared 403 page (``forbidden.html``) saying why.

``ServiceFormView`` shows a form; on POST it validates it, calls ``service(actor, object,
cleaned data)`` and redirects to the success URL with the success message. A service's
``RuleError`` is shown on the form next to the field it names (``core.forms.show_error``),
with the error's HTTP status; its ``NotPermitted`` becomes the audited 403 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.views import View

from tunduk.core.actors import Actor, Member
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.core.permissions import record_denial, require_role

__all__ = [
    "FORBIDDEN_TEMPLATE",
    "RoleRequiredMixin",
    "ServiceFormView",
    "audit_refusal",
    "forbidden",
]

FORBIDDEN_TEMPLATE = "forbidden.html"

Obj = TypeVar("Obj")  # what the service acts on (``None`` on a page that creates something)
Result = TypeVar("Result")  # what the service returns

Formsets = Mapping[str, forms.BaseFormSet[forms.Form]]


def audit_refusal(request: HttpRequest, denied: NotPermitted) -> None:
    """Audit ``denied`` once, naming the page asked for; a service's own audit is not repeated."""
    if not denied.recorded:
        denied.detail.setdefault("path", request.path)
        denied.detail.setdefault("method", request.method)
    record_denial(denied, ip_address=request.META.get("REMOTE_ADDR"))


def forbidden(request: HttpRequest, denied: NotPermitted, **context: Any) -> HttpResponse:
    """Audit ``denied`` and answer the shared 403 page saying why.

    ``context`` adds to the page: ``apply_url`` (where to apply for access), ``back_url``.
    """
    audit_refusal(request, denied)
    page = {"reason": denied.message, **context}
    return render(request, FORBIDDEN_TEMPLATE, page, status=403)


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed-in users whose role is in ``allowed_roles``; an audited 403 page for anyone else.

    Override ``check_role`` for a rule beyond the role (it raises ``NotPermitted``); a
    ``NotPermitted`` raised later while the page runs gets the same audited 403 page.
    """

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = ()
    action_name = "page"  # names the page in the audit record of a refusal
    request: HttpRequest  # set by ``View.setup`` before ``dispatch``

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Send the public to sign in; refuse other roles; run the page for the rest."""
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.check_role(user)
            return super().dispatch(request, *args, **kwargs)
        except NotPermitted as denied:
            return forbidden(request, denied, **self.forbidden_context())

    def check_role(self, actor: Member) -> None:
        """Refuse (``NotPermitted``) unless ``actor`` holds one of ``allowed_roles``."""
        if not self.allowed_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} names no allowed_roles")
        require_role(
            actor,
            *self.allowed_roles,
            action=self.action_name,
            needed=[str(role) for role in self.allowed_roles],
        )

    def forbidden_context(self) -> dict[str, Any]:
        """What the 403 page shows besides the reason (``apply_url``, ``back_url``)."""
        return {}


class ServiceFormView(RoleRequiredMixin, View, Generic[Obj, Result]):
    """A form whose valid data a service writes; the service's rule errors show on the form.

    Declare ``form_class``, ``allowed_roles`` (or ``check_role``), ``success_url`` and
    ``success_message`` (or their ``get_`` methods), and implement ``service``,
    ``get_object`` (on pages about an object) and ``render_form``.
    """

    form_class: type[forms.BaseForm]
    success_url = ""
    success_message: str | Promise = ""
    # A service's field name -> the form's, when they differ (e.g. file -> decision_copy).
    error_fields: ClassVar[Mapping[str, str]] = {}
    # A service's ``NotPermitted`` is answered 403 and audited either way; by default on the
    # shared 403 page, or, when true, on the form next to what the user tried (the Catalog's
    # pages, whose suspended participants keep their page and see why).
    refusal_on_form: ClassVar[bool] = False
    object: Obj
    formsets: Formsets

    def service(self, actor: Actor, obj: Obj, data: dict[str, Any]) -> Result:
        """The write: call the app's service with the form's cleaned data."""
        raise NotImplementedError

    def get_object(self) -> Obj:
        """What the page is about, from ``self.kwargs`` (404 when missing); ``None`` by default."""
        return None  # type: ignore[return-value]  # pages about an object override this

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        """The page with ``form`` (and ``self.formsets``), answered with ``status``."""
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``form_class`` besides the submitted data."""
        return {}

    def get_form(self, bound: bool) -> forms.BaseForm:
        """The form, bound to the request's data and files on POST."""
        if bound:
            return self.form_class(self.request.POST, self.request.FILES, **self.get_form_kwargs())
        return self.form_class(**self.get_form_kwargs())

    def get_formsets(self, bound: bool) -> Formsets:
        """Lists edited with the form, by the name a service's errors use; none by default."""
        return {}

    def get_success_url(self, result: Result) -> str:
        """Where to go once the service has written ``result``."""
        if not self.success_url:
            raise ImproperlyConfigured(f"{type(self).__name__} names no success_url")
        return self.success_url

    def get_success_message(self, result: Result) -> str:
        """What the user is told once the service has written ``result``."""
        return str(self.success_message)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The empty form."""
        self.object = self.get_object()
        return self.show_form()

    def show_form(self) -> HttpResponse:
        """The page with the empty form, for ``self.object`` (``get`` has set it)."""
        self.formsets = self.get_formsets(bound=False)
        return self.render_form(self.get_form(bound=False))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Validate, call the service, and redirect; or show the form with what is wrong."""
        self.object = self.get_object()
        form = self.get_form(bound=True)
        self.formsets = self.get_formsets(bound=True)
        valid = [form.is_valid(), *(formset.is_valid() for formset in self.formsets.values())]
        if not all(valid):
            return self.render_form(form, status=400)
        try:
            result = self.service(request.user, self.object, form.cleaned_data)
        except RuleError as error:
            if isinstance(error, NotPermitted):
                if not self.refusal_on_form:
                    raise  # dispatch answers the audited 403 page
                audit_refusal(request, error)
            show_error(form, error, formsets=self.formsets, rename=self.error_fields)
            return self.render_form(form, status=error.status_code)
        return self.succeeded(result)

    def succeeded(self, result: Result) -> HttpResponse:
        """Tell the user (``get_success_message``) and go on (``get_success_url``)."""
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))
