from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("public/cleanups/", views.public_cleanups, name="public_cleanups"),
    path("deadlines/", views.deadline_board, name="deadline_board"),
]
