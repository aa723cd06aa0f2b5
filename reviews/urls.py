from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("deadlines/", views.deadline_board, name="deadline_board"),
]
