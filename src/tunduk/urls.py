"""Top-level URL map: language switcher, accounts, registry, working days, API, admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tunduk.site.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the site's own page, so lockout and the second factor apply.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("tunduk.accounts.urls")),
    path("working-days/", include("tunduk.workdays.urls")),
    # The OpenAPI document is served at /api/openapi.json, the docs at /api/docs; the URL
    # namespace is the API's own ("api"), which its docs pages reverse.
    path("api/", api.urls),
    path("journal/", include("tunduk.journaling.urls")),
    path("catalog/", include("tunduk.catalog.urls")),
    path("inbox/", include("tunduk.notifications.urls")),
    path("globalconf/", include("tunduk.catalog.globalconf_urls")),
    path("", include("tunduk.registry.urls")),
]

# Error pages in the site's layout and the visitor's language (tunduk.core.error_pages).
handler400 = "tunduk.core.error_pages.bad_request"
handler403 = "tunduk.core.error_pages.permission_denied"
handler404 = "tunduk.core.error_pages.page_not_found"
handler500 = "tunduk.core.error_pages.server_error"
