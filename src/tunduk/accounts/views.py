"""Sign-in pages: accepting an invitation, the user's profile and their API tokens."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from tunduk.accounts import two_factor
from tunduk.accounts.auth import signed_in_user
from tunduk.accounts.models import Invitation, User
from tunduk.accounts.services import (
    InvitationError,
    accept_invitation,
    create_api_token,
    revoke_api_token,
)
from tunduk.accounts.signin import CodeForm, await_second_factor
from tunduk.accounts.tokens import ApiToken


class InvitationForm(forms.Form):
    """The new password, typed twice."""

    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error(
                "password_again", _("The two passwords differ; type the same one twice.")
            )
        return data


class InvitationView(View):
    """The link sent to the departmental e-mail (000 §19): set a password, then sign in."""

    template_name = "accounts/invitation.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.render(request, token, InvitationForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                user = accept_invitation(token, form.cleaned_data["password"])
            except InvitationError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                if two_factor.second_factor_needed(user):
                    # The invitation proves the mailbox, not the authenticator (issue 7 (4)).
                    return await_second_factor(request, user, reverse("registry:dashboard"))
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your password is set and you are signed in."))
                return redirect("registry:dashboard")
        return self.render(request, token, form, status=400)

    def render(
        self, request: HttpRequest, token: str, form: InvitationForm, status: int = 200
    ) -> HttpResponse:
        invitation = Invitation.matching(token).select_related("user").first()
        context = {
            "form": form,
            "invitation": invitation if invitation and invitation.is_usable else None,
        }
        return render(request, self.template_name, context, status=status)


class ApiTokenForm(forms.Form):
    """A new API token: its name, an optional last day of validity, and its scope."""

    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("What the token is for, e.g. “document flow integration”."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The last day the token works; leave empty for no expiry."),
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read-only"),
        required=False,
        help_text=gettext_lazy("The token may read through the API but not change anything."),
    )

    def clean_expires_on(self) -> date | None:
        """The last day of validity cannot have passed already."""
        expires_on: date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("The last day of validity cannot be in the past."))
        return expires_on

    def expires_at(self) -> datetime | None:
        """The moment the token stops working: the end of the chosen day, local time."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        next_day = datetime.combine(expires_on + timedelta(days=1), time.min)
        return timezone.make_aware(next_day)


class ProfileView(LoginRequiredMixin, TemplateView):
    """Who the signed-in user is: name, position, role and subject; and their API tokens."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = signed_in_user(self.request)
        return super().get_context_data(
            tokens=ApiToken.objects.filter(user=user),
            token_form=ApiTokenForm(),
            two_factor=_two_factor_context(user),
            **kwargs,
        )


def _two_factor_context(user: User) -> dict[str, Any] | None:
    """The profile's two-factor section; ``None`` for users who cannot enrol."""
    if not two_factor.may_enrol(user):
        return None
    return {
        "device": two_factor.confirmed_device(user),
        "required": settings.TUNDUK_STAFF_TWO_FACTOR,
        "disable_form": CodeForm(auto_id="id_disable_%s"),
    }


class TwoFactorView(LoginRequiredMixin, View):
    """Enrol an authenticator: start (a new secret is shown), then confirm with its code."""

    template_name = "accounts/two_factor.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            user = signed_in_user(request)
            if not two_factor.may_enrol(user):
                raise PermissionDenied
            # A new authenticator would replace the enrolled one: that takes a code from the
            # old one (turning it off on the profile), not merely an open session.
            if two_factor.confirmed_device(user) is not None:
                return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        return self.render(request, two_factor.pending_device(user), CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if request.POST.get("action") == "start":
            two_factor.start_enrolment(user)
            return redirect("accounts:two-factor")
        device = two_factor.pending_device(user)
        form = CodeForm(request.POST)
        if device is None:
            return redirect("accounts:two-factor")
        if form.is_valid() and two_factor.confirm_enrolment(
            user, device, form.cleaned_data["code"]
        ):
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("accounts:profile")
        if form.is_valid():
            form.add_error("code", _("This code is wrong or already used; wait for the next one."))
        return self.render(request, device, form, status=400)

    def render(
        self, request: HttpRequest, device: TOTPDevice | None, form: CodeForm, status: int = 200
    ) -> HttpResponse:
        setup = two_factor.setup_details(device) if device is not None else None
        context = {"setup": setup, "form": form}
        return render(request, self.template_name, context, status=status)


class TwoFactorDisableView(LoginRequiredMixin, View):
    """Turn two-factor sign-in off; a current code proves the authenticator is at hand."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid() and two_factor.disable(
            signed_in_user(request), form.cleaned_data["code"]
        ):
            messages.success(request, _("Two-factor sign-in is off."))
        else:
            messages.error(
                request,
                _("Two-factor sign-in stays on: the code is wrong or already used."),
            )
        return redirect("accounts:profile")


class ApiTokenCreateView(LoginRequiredMixin, View):
    """Create an API token; its secret is shown on the answer to this POST and never again."""

    form_template_name = "accounts/api_token_form.html"
    created_template_name = "accounts/api_token_created.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.form_template_name, {"token_form": ApiTokenForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return render(request, self.form_template_name, {"token_form": form}, status=400)
        token, raw = create_api_token(
            signed_in_user(request),
            form.cleaned_data["name"],
            expires_at=form.expires_at(),
            read_only=form.cleaned_data["read_only"],
        )
        response = render(request, self.created_template_name, {"token": token, "raw": raw})
        # The secret must not survive in a cache or the browser's history.
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the signed-in user's tokens after a confirmation; others' are 404."""

    template_name = "accounts/api_token_revoke.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"token": self.own_token(request, pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self.own_token(request, pk)
        if revoke_api_token(signed_in_user(request), token):
            messages.success(
                request,
                _("The token “%(name)s” is revoked; programs using it are now refused.")
                % {"name": token.name},
            )
        else:
            messages.info(
                request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
            )
        return redirect("accounts:profile")

    @staticmethod
    def own_token(request: HttpRequest, pk: int) -> ApiToken:
        """The token if it belongs to the signed-in user; 404 otherwise, so ids are not probed."""
        return get_object_or_404(ApiToken, pk=pk, user=signed_in_user(request))
