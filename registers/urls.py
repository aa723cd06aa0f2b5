from django.urls import path

from . import exchange_views, views

app_name = "registers"

urlpatterns: list = [
    path(
        "public/inspections/",
        views.public_inspection_results,
        name="public_inspections",
    ),
    path("data/", exchange_views.data_exchange, name="exchange"),
    path(
        "attachments/<int:pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "data/templates/<slug:slug>.xlsx",
        exchange_views.download_template,
        name="exchange_template",
    ),
]
