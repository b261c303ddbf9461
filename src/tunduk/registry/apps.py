from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tunduk.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        """Add the Registry's checks to ``tunduk journal verify``, its open work to the inbox;
        keep the search index."""
        from tunduk.journaling.verification import register_row_check
        from tunduk.notifications.awaiting import register_provider
        from tunduk.registry.awaiting import registry_awaiting
        from tunduk.registry.row_checks import elements_match_latest_version, unjournaled_versions
        from tunduk.registry.search_index import ensure_after_migrate

        post_migrate.connect(ensure_after_migrate, sender=self)

        register_row_check(unjournaled_versions)
        register_row_check(elements_match_latest_version)
        register_provider(registry_awaiting)
