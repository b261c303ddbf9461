from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The thin top layer: what composes several apps (demo data, task schedules, the API)."""

    name = "tunduk.site"
    label = "site"
    verbose_name = "Site"
