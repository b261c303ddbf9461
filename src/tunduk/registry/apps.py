from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tunduk.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        """Add the Registry's own checks to ``tunduk journal verify``; follow the calendar."""
        from tunduk.journaling.verification import register_row_check
        from tunduk.registry.row_checks import elements_match_latest_version, unjournaled_versions
        from tunduk.registry.signals import follow_calendar_changes

        register_row_check(unjournaled_versions)
        register_row_check(elements_match_latest_version)
        follow_calendar_changes()
