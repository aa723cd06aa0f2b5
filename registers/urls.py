from django.urls import path

from . import views

app_name = "registers"

urlpatterns: list = [
    path(
        "public/inspections/",
        views.public_inspection_results,
        name="public_inspections",
    ),
]
