from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("meine-daten/", views.personal_data, name="personal_data"),
    path("meine-daten/herunterladen/", views.personal_data_download, name="personal_data_download"),
    path("zweiter-faktor/", views.second_factor_required, name="second_factor_required"),
    path("loeschen/", views.delete, name="delete"),
]
