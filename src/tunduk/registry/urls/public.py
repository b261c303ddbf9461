"""URLs of the public pages."""

from django.urls import path

from tunduk.registry.views import public, public_applications, public_exports

urlpatterns = [
    path("", public.HomeView.as_view(), name="home"),
    path("elements/", public.ElementListView.as_view(), name="element-list"),
    path(
        "elements/export.csv",
        public_exports.ElementExportCsvView.as_view(),
        name="element-export-csv",
    ),
    path(
        "elements/export.json",
        public_exports.ElementExportJsonView.as_view(),
        name="element-export-json",
    ),
    path("elements/<int:pk>/", public.ElementDetailView.as_view(), name="element-detail"),
    path(
        "elements/<int:pk>/history/",
        public.ElementHistoryView.as_view(),
        name="element-history",
    ),
    path(
        "documents/<int:pk>/",
        public_exports.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path(
        "access-applications/new/",
        public_applications.ApplicationCreateView.as_view(),
        name="application-create",
    ),
    path(
        "access-applications/thanks/",
        public_applications.ApplicationThanksView.as_view(),
        name="application-thanks",
    ),
]
