from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>/edit/", views.report_edit, name="edit"),
    path("<int:year>/preview/", views.report_preview, name="preview"),
    path("<int:year>/publish/", views.report_publish, name="publish"),
    path("<int:year>/review/", views.unit_report_action, name="unit_review"),
    path("<int:year>/figures/<str:key>/", views.figure_records, name="records"),
    path("<int:year>/download.<str:fmt>", views.report_download, name="download"),
    path("<int:year>/v<int:version>/", views.published_detail, name="published"),
    path(
        "<int:year>/v<int:version>/download.<str:fmt>",
        views.published_download,
        name="published_download",
    ),
    path("<int:year>/v<int:version>/changes/", views.published_diff, name="published_diff"),
]
