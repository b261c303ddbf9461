from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "tunduk.catalog"
    label = "catalog"
    verbose_name = _("Tunduk Catalog")

    def ready(self) -> None:
        """Register the start-up checks of the keys this app signs with; its inbox work; and
        take a decommissioned information system out of the next global configuration."""
        from tunduk.catalog import checks  # noqa: F401  # imported for its @register side effect
        from tunduk.catalog.awaiting import catalog_awaiting
        from tunduk.notifications.awaiting import register_provider
        from tunduk.registry.signals import element_decommissioned

        register_provider(catalog_awaiting)
        element_decommissioned.connect(
            _publish_without_decommissioned, dispatch_uid="catalog-decommissioned"
        )


def _publish_without_decommissioned(sender: object, **kwargs: object) -> None:
    """000 §27–29: the decommissioned system's subsystem and grants leave the exchange."""
    from tunduk.catalog.services._common import configuration_changed

    configuration_changed()
