from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "tunduk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Records the language a user signs in with, so their e-mail comes in it.
        from tunduk.notifications import signals  # noqa: F401  # imported to connect its receivers
