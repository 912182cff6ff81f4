from django.urls import path

from . import analysis_views, views

app_name = "atlas"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("export.<str:fmt>", views.offer_export, name="export"),
    path("analyse/", analysis_views.analysis_page, name="analysis"),
    path("analyse/impulspapier.pdf", analysis_views.impulspapier, name="impulspapier"),
    path("analyse/abbildung/<slug:name>.svg", analysis_views.figure, name="figure"),
    path("anbieter-werden/", views.become_provider, name="become_provider"),
    path("verwalten/", views.manage_list, name="manage"),
    path("verwalten/neu/", views.manage_create, name="manage_create"),
    path("verwalten/<id:pk>/", views.manage_edit, name="manage_edit"),
    path(
        "verwalten/<id:pk>/einreichen/",
        views.manage_action,
        {"action": "submit"},
        name="manage_submit",
    ),
    path(
        "verwalten/<id:pk>/bestaetigen/",
        views.manage_action,
        {"action": "confirm"},
        name="manage_confirm",
    ),
    path(
        "verwalten/<id:pk>/archivieren/",
        views.manage_action,
        {"action": "archive"},
        name="manage_archive",
    ),
    path("<slug:slug>/", views.offer_detail, name="detail"),
]
