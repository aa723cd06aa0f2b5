from django.urls import path

from . import jobs, my_deadlines, views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("registers/", views.registers_index, name="registers"),
    path("cases/", views.cases_index, name="cases"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/approve/", views.review_bulk_approve, name="review_bulk_approve"),
    path("review/<str:kind>/<int:pk>/", views.review_detail, name="review_detail"),
    path("holidays/", views.holiday_schedule, name="holiday_schedule"),
    path("holidays/withdraw/", views.holiday_schedule_withdraw, name="holiday_schedule_withdraw"),
    path(
        "review/<str:kind>/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "review/<str:kind>/<int:pk>/attachments/<int:file_pk>/delete/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("my-deadlines/", my_deadlines.my_deadlines, name="my_deadlines"),
    path("calendar/<str:key>.ics", my_deadlines.calendar_feed, name="calendar_feed"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
