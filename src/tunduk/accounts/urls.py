"""Sign-in, sign-out, invitation and profile pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tunduk.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only, so a link cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/api-tokens/new/", views.ApiTokenCreateView.as_view(), name="token-create"),
    path(
        "profile/api-tokens/<int:pk>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="token-revoke",
    ),
]
