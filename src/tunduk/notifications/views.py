"""The inbox of every signed-in role: what awaits me, and what was decided about my things."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tunduk.notifications.awaiting import awaiting_for
from tunduk.notifications.languages import LANGUAGE_CODES, language_of, remember_language
from tunduk.notifications.models import Notification

INBOX_PAGE_SIZE = 100


class InboxView(LoginRequiredMixin, TemplateView):
    """Open work with deadlines, then the latest notifications (unread marked)."""

    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        mine = Notification.objects.filter(recipient_id=user.pk)
        return super().get_context_data(
            awaiting=awaiting_for(user),
            notifications=list(mine[:INBOX_PAGE_SIZE]),
            unread=mine.filter(read_at__isnull=True).count(),
            mail_languages=settings.LANGUAGES,
            mail_language=language_of(user),
            today=timezone.localdate(),
            **kwargs,
        )


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark one of the user's own notifications read and go to what it is about.

    Another user's notification is "not found", the same as one that does not exist.
    """

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        link = notification.link
        safe = link and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
        return HttpResponseRedirect(link if safe else reverse("notifications:inbox"))


class MarkAllReadView(LoginRequiredMixin, View):
    """Mark every notification of the user read."""

    def post(self, request: HttpRequest) -> HttpResponse:
        Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return HttpResponseRedirect(reverse("notifications:inbox"))


class MailLanguageView(LoginRequiredMixin, View):
    """Choose the language of one's e-mail."""

    def post(self, request: HttpRequest) -> HttpResponse:
        language = request.POST.get("language", "")
        if language not in LANGUAGE_CODES:
            messages.error(request, _("Language: choose one of the listed languages."))
        else:
            remember_language(request.user, language)
            messages.success(request, _("Your e-mail will be written in the chosen language."))
        return HttpResponseRedirect(reverse("notifications:inbox"))
