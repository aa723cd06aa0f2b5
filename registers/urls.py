from django.urls import path

from . import exchange_views, views

app_name = "registers"

urlpatterns: list = [
    path(
        "public/inspections/",
        views.public_inspection_results,
        name="public_inspections",
    ),
    path("public/power/", views.public_power_list, name="public_power"),
    path("public/documents/", views.public_documents, name="public_documents"),
    path(
        "public/documents/<int:pk>/text/",
        views.public_document_text,
        name="public_document_text",
    ),
    path("public/enforcement/", views.public_enforcement_bodies, name="public_bodies"),
    path("public/officers/", views.public_officers, name="public_officers"),
    path("data/", exchange_views.data_exchange, name="exchange"),
    path("data/update/", exchange_views.update_preview, name="exchange_update"),
    path("data/update/apply/", exchange_views.update_apply, name="exchange_update_apply"),
    path("data/records/", exchange_views.export_chosen, name="exchange_export_chosen"),
    path(
        "data/records/<slug:slug>.xlsx",
        exchange_views.export_records,
        name="exchange_export",
    ),
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
