from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.path_list, name="list"),
    path("<slug:slug>/", views.path_detail, name="detail"),
    path("<slug:slug>/kohorte/<int:cohort_id>/bewerben/", views.apply, name="apply"),
]
