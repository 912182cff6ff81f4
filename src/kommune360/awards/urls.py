from django.urls import path

from . import showcase, views

app_name = "awards"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("meine-bewerbungen/", views.my_applications, name="mine"),
    path("einladung/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.round_detail, name="round"),
    path("<slug:slug>/bewerben/", views.apply, name="apply"),
    path("<slug:slug>/bewerbung/<id:pk>/", views.application_detail, name="application"),
    path("<slug:slug>/bewerbung/<id:pk>/anhang/", views.upload, name="upload"),
    path(
        "<slug:slug>/bewerbung/<id:pk>/anhang/<id:attachment_id>/",
        views.download,
        name="download",
    ),
    path(
        "<slug:slug>/bewerbung/<id:pk>/anhang/<id:attachment_id>/entfernen/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("<slug:slug>/bewerbung/<id:pk>/einladen/", views.invite, name="invite"),
    path("<slug:slug>/bewerbung/<id:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("<slug:slug>/bewerbung/<id:pk>/kopie.pdf", views.copy_pdf, name="copy_pdf"),
    path("<slug:slug>/loesungen/", showcase.solution_list, name="solutions"),
    path("<slug:slug>/loesungen/<slug:solution_slug>/", showcase.solution_detail, name="solution"),
    path("<slug:slug>/loesungen/<slug:solution_slug>/siegel.svg", showcase.seal_svg, name="seal"),
    path(
        "<slug:slug>/loesungen/<slug:solution_slug>/nachnutzen/",
        showcase.request_adoption,
        name="adopt",
    ),
    path(
        "<slug:slug>/loesungen/<slug:solution_slug>/anfragen/",
        showcase.requests_view,
        name="requests",
    ),
    path(
        "<slug:slug>/loesungen/<slug:solution_slug>/anfragen/<id:request_id>/",
        showcase.answer_request,
        name="answer_request",
    ),
]
