from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalingConfig(AppConfig):
    name = "tunduk.journaling"
    label = "journaling"
    verbose_name = _("Journal")

    def ready(self) -> None:
        """Register the start-up checks of the keys this app signs with."""
        from tunduk.journaling import checks  # noqa: F401  # imported for its @register side effect
