"""Password reset by e-mail, and "sign out everywhere" (issue 11, item 16).

Django's own reset views with the site's templates. The request page answers the same
whatever the address (no one learns whether an account exists), is limited per client
address, and the e-mail is written in the account holder's language with a link to
``TUNDUK_SITE_URL``. A completed reset changes the password, which ends every other
session; "sign out everywhere" ends them all without changing it (API tokens are kept:
they are listed, and revoked one by one, on the profile page).
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django_ratelimit.core import get_usage

from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.models import User
from tunduk.core.audit import Event, record
from tunduk.core.http import client_ip
from tunduk.core.mail import queue_mail_in_their_language

RESET_GROUP = "accounts:password-reset"


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def reset_link(user: User) -> str:
    """The one-time link of the reset e-mail, on the site's public address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", args=[uid, token])
    return settings.SITE_URL.rstrip("/") + path


class PasswordResetRequestForm(PasswordResetForm):
    """The e-mail address; the reset e-mail goes out in the account holder's language."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Queue one e-mail per active account with this address (none: nothing is sent)."""
        login_link = settings.SITE_URL.rstrip("/") + reverse("accounts:login")
        for user in self.get_users(self.cleaned_data["email"]):
            link = reset_link(user)

            def compose(user: User = user, link: str = link) -> tuple[str, str]:
                subject = _("Reset your password for the Registry")
                body = render_to_string(
                    "accounts/password_reset_email.txt",
                    {"user": user, "link": link, "login_link": login_link},
                )
                return subject, body

            queue_mail_in_their_language([(user.email, user.language)], compose)
            record(Event.PASSWORD_RESET_REQUESTED, actor=user, obj=user)


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link; limited per address, and the same answer for every e-mail."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        usage = get_usage(
            request,
            group=RESET_GROUP,
            key=_address,
            rate=settings.TUNDUK_PASSWORD_RESET_RATE,
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            minutes = max(1, -(-int(usage["time_left"]) // 60))
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                ngettext(
                    "Too many password resets were asked from your address. Try again in %(minutes)d minute.",
                    "Too many password resets were asked from your address. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = render(request, self.template_name, {"form": form}, status=429)
            response["Retry-After"] = str(max(1, int(usage["time_left"])))
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    """The same page whether or not the address belongs to an account."""

    template_name = "accounts/password_reset_sent.html"


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """The new password, twice; Django's validators apply."""


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link; an old or forged link says so."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        record(Event.PASSWORD_RESET_COMPLETED, actor=form.user, obj=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password is set; sign in with it."""

    template_name = "accounts/password_reset_complete.html"


class SignOutEverywhereView(LoginRequiredMixin, View):
    """End every session of the signed-in user, this one included (POST only)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        user.session_epoch = secrets.token_hex(16)
        user.save(update_fields=["session_epoch"])
        record(Event.SESSIONS_ENDED, actor=user, obj=user)
        logout(request)
        messages.success(
            request, _("You are signed out everywhere: every browser must sign in again.")
        )
        return redirect("accounts:login")
