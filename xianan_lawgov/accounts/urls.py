from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("sessions/end/", views.end_session, name="end_session"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("password/", views.password_change, name="password"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/remove/", views.remove_two_factor, name="remove_two_factor"),
]
