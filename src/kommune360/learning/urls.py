from django.urls import path

from . import cohort_views, views

app_name = "learning"

cohort = "<slug:slug>/kohorte/<id:cohort_id>/"

urlpatterns = [
    path("", views.path_list, name="list"),
    path("<slug:slug>/", views.path_detail, name="detail"),
    path(cohort + "bewerben/", views.apply, name="apply"),
    path(cohort, cohort_views.cohort_area, name="cohort"),
    path(cohort + "termine.ics", cohort_views.cohort_ics, name="cohort_ics"),
    path(cohort + "termine/<id:date_id>.ics", cohort_views.date_ics, name="date_ics"),
    path(cohort + "material/<id:material_id>/", cohort_views.material, name="material"),
    path(
        cohort + "modul/<id:module_id>/erledigt/",
        cohort_views.self_study_done,
        name="self_study_done",
    ),
    path(cohort + "sichtbarkeit/", cohort_views.visibility, name="visibility"),
    path(cohort + "bescheinigung/", cohort_views.certificate, name="certificate"),
    path(cohort + "rueckmeldung/", cohort_views.feedback, name="feedback"),
    path(cohort + "anwesenheit/<id:module_id>/", cohort_views.attendance, name="attendance"),
]
