"""URLs of the employee pages."""

from django.urls import path

from tunduk.registry.views import employee, employee_elements

urlpatterns = [
    path("dashboard/", employee.DashboardView.as_view(), name="dashboard"),
    path("elements/new/", employee_elements.ElementCreateView.as_view(), name="element-create"),
    path(
        "elements/<int:pk>/edit/",
        employee_elements.ElementEditView.as_view(),
        name="element-edit",
    ),
    path(
        "elements/<int:pk>/documents/",
        employee_elements.DocumentUploadView.as_view(),
        name="document-upload",
    ),
    path(
        "elements/<int:pk>/submit/",
        employee_elements.ElementSubmitView.as_view(),
        name="element-submit",
    ),
    path(
        "elements/<int:pk>/decommission/",
        employee.DecommissioningCreateView.as_view(),
        name="decommissioning-create",
    ),
    path(
        "information-requests/<int:pk>/answer/",
        employee.InformationRequestAnswerView.as_view(),
        name="information-request-answer",
    ),
]
