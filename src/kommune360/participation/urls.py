from django.urls import path

from . import views

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("beitragen/", views.submit, name="submit"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("beitrag/<id:pk>/melden/", views.report, name="report"),
    path("aufruf/<slug:slug>/", views.call_detail, name="call"),
]
