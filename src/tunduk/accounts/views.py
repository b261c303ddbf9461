"""Sign-in pages: accepting an invitation to set a password, and the user's profile."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from tunduk.accounts.models import Invitation
from tunduk.accounts.services import InvitationError, accept_invitation


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

    def clean(self) -> dict:
        data = super().clean()
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
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your password is set and you are signed in."))
                return redirect("registry:dashboard")
        return self.render(request, token, form, status=400)

    def render(
        self, request: HttpRequest, token: str, form: InvitationForm, status: int = 200
    ) -> HttpResponse:
        invitation = Invitation.objects.select_related("user").filter(token=token).first()
        context = {
            "form": form,
            "invitation": invitation if invitation and invitation.is_usable else None,
        }
        return render(request, self.template_name, context, status=status)


class ProfileView(LoginRequiredMixin, TemplateView):
    """Who the signed-in user is: name, position, role and subject."""

    template_name = "accounts/profile.html"
