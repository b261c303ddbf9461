"""URLs of the working-days pages, included at ``working-days/``."""

from django.urls import path

from tunduk.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.DayTransferListView.as_view(), name="transfer-list"),
    path("<int:pk>/edit/", views.DayTransferEditView.as_view(), name="transfer-edit"),
    path("<int:pk>/delete/", views.DayTransferDeleteView.as_view(), name="transfer-delete"),
]
