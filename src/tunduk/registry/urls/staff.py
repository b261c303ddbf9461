"""URLs of the staff pages: the operator's review queue, applications, decommissioning, requests."""

from django.urls import path

from tunduk.registry.views.staff import SubmissionQueueView, SubmissionReviewView
from tunduk.registry.views.staff_applications import (
    AccessApplicationDetailView,
    AccessApplicationListView,
)
from tunduk.registry.views.staff_decommissioning import (
    DecommissioningDetailView,
    DecommissioningListView,
)
from tunduk.registry.views.staff_domains import StateDomainListView, StateDomainRemoveView
from tunduk.registry.views.staff_information import (
    InformationRequestCreateView,
    InformationRequestListView,
)

urlpatterns = [
    path("state-domains/", StateDomainListView.as_view(), name="state-domain-list"),
    path(
        "state-domains/<int:pk>/remove/",
        StateDomainRemoveView.as_view(),
        name="state-domain-remove",
    ),
    path("review/", SubmissionQueueView.as_view(), name="submission-queue"),
    path("submissions/<int:pk>/", SubmissionReviewView.as_view(), name="submission-review"),
    path("access-applications/", AccessApplicationListView.as_view(), name="application-list"),
    path(
        "access-applications/<int:pk>/",
        AccessApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path("decommissioning/", DecommissioningListView.as_view(), name="decommissioning-list"),
    path(
        "decommissioning/<int:pk>/",
        DecommissioningDetailView.as_view(),
        name="decommissioning-detail",
    ),
    path(
        "elements/<int:pk>/information-requests/new/",
        InformationRequestCreateView.as_view(),
        name="information-request-create",
    ),
    path(
        "information-requests/",
        InformationRequestListView.as_view(),
        name="information-request-list",
    ),
]
