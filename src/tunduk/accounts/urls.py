"""Sign-in, sign-out, invitation and profile pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tunduk.accounts import password_reset, signin, views

app_name = "accounts"
urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/code/", signin.SecondFactorView.as_view(), name="login-code"),
    # Django's LogoutView accepts POST only, so a link cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        password_reset.PasswordResetRequestView.as_view(),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        password_reset.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "sign-out-everywhere/",
        password_reset.SignOutEverywhereView.as_view(),
        name="sign-out-everywhere",
    ),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/two-factor/", views.TwoFactorView.as_view(), name="two-factor"),
    path(
        "profile/two-factor/disable/",
        views.TwoFactorDisableView.as_view(),
        name="two-factor-disable",
    ),
    path("profile/api-tokens/new/", views.ApiTokenCreateView.as_view(), name="token-create"),
    path(
        "profile/api-tokens/<int:pk>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="token-revoke",
    ),
]
