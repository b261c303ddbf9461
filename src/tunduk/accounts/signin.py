"""Signing in: password first, then a one-time code for users with a second factor.

django-axes counts failures of either step per account and per address (see the
settings block "Sign-in protection"); ``locked_out`` is the page it answers with. The
password step leaves the user *pending* in the session; only a right code signs them in,
so a stolen password alone opens nothing.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import login, views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tunduk.accounts import two_factor
from tunduk.accounts.models import User
from tunduk.accounts.signals import STEP_KEY

PENDING_KEY = "accounts:pending-sign-in"
# The code must follow the password soon; afterwards the password is asked again.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    """The six digits the authenticator app shows now."""

    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form, its first field named for what people type: the e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("E-mail")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "inputmode": "email"}
        )


class SignInView(views.LoginView):
    """The e-mail and password; users with a second factor go on to the code page."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.second_factor_needed(user):
            return super().form_valid(form)
        return await_second_factor(self.request, user, self.get_success_url())


def await_second_factor(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Leave ``user`` pending until the code step; every path that proves a password uses it."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:login-code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The user who gave the right password and has yet to give the code, if still fresh."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


class SecondFactorView(View):
    """The one-time code; staff who must use one but have none enrol here first."""

    template_name = "accounts/login_code.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        found = _pending(request)
        if found is None:
            request.session.pop(PENDING_KEY, None)
            return redirect("accounts:login")
        self.user, self.pending = found
        credentials = {"username": self.user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(PENDING_KEY, None)
            response: HttpResponseBase = get_lockout_response(request, None, credentials)
            return response
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> TOTPDevice:
        """The enrolled authenticator, or the one being enrolled during this sign-in."""
        device = two_factor.confirmed_device(self.user)
        if device is None:
            device = two_factor.pending_device(self.user) or two_factor.start_enrolment(self.user)
        return device

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, CodeForm(), self.device())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        device = self.device()
        if form.is_valid() and self.accept(device, form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            login(request, self.user, backend=self.pending["backend"] or None)
            otp_login(request, device)
            return redirect(self.pending["next"])
        if form.is_valid():
            form.add_error("code", _("This code is wrong or already used; wait for the next one."))
            # Counted like a wrong password: axes may lock the account and the address.
            user_login_failed.send(
                sender=type(self),
                credentials={"username": self.user.get_username(), STEP_KEY: "code"},
                request=request,
            )
        return self.render(request, form, device, status=400)

    def accept(self, device: TOTPDevice, code: str) -> bool:
        """Verify the code; during enrolment a right code also confirms the device."""
        if device.confirmed:
            return two_factor.verify_code(device, code)
        return two_factor.confirm_enrolment(self.user, device, code)

    def render(
        self, request: HttpRequest, form: CodeForm, device: TOTPDevice, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "setup": None if device.confirmed else two_factor.setup_details(device),
        }
        return render(request, self.template_name, context, status=status)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """Axes' answer to a locked-out account or address: a page in the site's layout (429)."""
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
