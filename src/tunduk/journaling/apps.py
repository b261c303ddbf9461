from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalingConfig(AppConfig):
    name = "tunduk.journaling"
    label = "journaling"
    verbose_name = _("Journal")
