from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tunduk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from tunduk.core.search import register_sqlite_fold

        # Every SQLite connection folds search text as Python does (docs/search.md).
        connection_created.connect(register_sqlite_fold, dispatch_uid="tunduk-sqlite-fold")
