from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tunduk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the receivers that audit sign-ins, failures and lockouts.
        from tunduk.accounts import signals  # noqa: F401  # imported to connect its receivers
