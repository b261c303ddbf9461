"""The inbox: ``/inbox/``, one notification, marking read, the e-mail language."""

from django.urls import path

from tunduk.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read-all"),
    path("language/", views.MailLanguageView.as_view(), name="language"),
]
