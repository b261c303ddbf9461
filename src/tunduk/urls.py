"""Top-level URL map: language switcher, accounts, registry, working days, API, admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("tunduk.accounts.urls")),
    path("working-days/", include("tunduk.workdays.urls")),
    path("api/", include("tunduk.api.urls")),
    path("journal/", include("tunduk.journaling.urls")),
    path("catalog/", include("tunduk.catalog.urls")),
    path("globalconf/", include("tunduk.catalog.globalconf_urls")),
    path("", include("tunduk.registry.urls")),
]
