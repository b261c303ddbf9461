"""URLs of review decisions (print page, PDF) and of the public applicant's status page."""

from django.urls import path

from tunduk.registry.views import decisions, public_application_status

urlpatterns = [
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "decisions/<int:pk>/decision.pdf",
        decisions.DecisionPdfView.as_view(),
        name="decision-pdf",
    ),
    path(
        "access-applications/status/",
        public_application_status.ApplicationStatusLookupView.as_view(),
        name="application-status-lookup",
    ),
    path(
        "access-applications/status/<str:reference>/<str:token>/",
        public_application_status.ApplicationStatusView.as_view(),
        name="application-status",
    ),
]
