from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("kalender.ics", views.calendar_feed, name="calendar"),
    path("meine-anmeldungen/", views.my_registrations, name="mine"),
    path("anmeldung/<str:key>/", views.registration_detail, name="registration"),
    path("anmeldung/<str:key>/stornieren/", views.registration_cancel, name="cancel"),
    path("anmeldung/<str:key>/annehmen/", views.offer_answer, {"answer": "accept"}, name="accept"),
    path(
        "anmeldung/<str:key>/ablehnen/", views.offer_answer, {"answer": "decline"}, name="decline"
    ),
    path("anmeldung/<str:key>/kalender.ics", views.registration_ics, name="registration_ics"),
    path("anmeldung/<str:key>/postkarte/", views.postcard, name="postcard"),
    path("anmeldung/<str:key>/programm/", views.registration_sessions, name="sessions"),
    path(
        "anmeldung/<str:key>/bescheinigung.pdf",
        views.registration_certificate,
        name="registration_certificate",
    ),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/anmelden/", views.register, name="register"),
    path("<slug:slug>/anmelden/bestaetigen/<str:token>/", views.register_confirm, name="confirm"),
    path("<slug:slug>/kalender.ics", views.event_ics_view, name="ics"),
]
