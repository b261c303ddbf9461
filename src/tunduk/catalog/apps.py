from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tunduk.catalog"
    label = "catalog"
    verbose_name = _("Tunduk Catalog")

    def ready(self) -> None:
        """Register the start-up checks of the keys this app signs with; its inbox work."""
        from tunduk.catalog import checks  # noqa: F401  # imported for its @register side effect
        from tunduk.catalog.awaiting import catalog_awaiting
        from tunduk.notifications.awaiting import register_provider

        register_provider(catalog_awaiting)
