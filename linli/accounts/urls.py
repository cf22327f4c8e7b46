from django.urls import path

from linli.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.otp_view, name="otp"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
