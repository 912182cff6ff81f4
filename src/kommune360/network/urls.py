from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("fellows/", views.fellows, name="fellows"),
    path("mitglieder/", views.directory, name="directory"),
    path("mitglieder/<id:pk>/", views.profile_detail, name="profile_detail"),
    path("mitglieder/<id:pk>/anfragen/", views.request_contact, name="request_contact"),
    path("mitglieder/<id:pk>/blockieren/", views.block_member, name="block"),
    path("mitglieder/<id:pk>/freigeben/", views.block_member, {"undo": True}, name="unblock"),
    path("mitglieder/<id:pk>/melden/", views.report_member, name="report"),
    path("profil/", views.profile_edit, name="profile"),
    path("kontakte/", views.contacts, name="contacts"),
    path("kontakte/<id:pk>/annehmen/", views.answer_request, {"answer": "accept"}, name="accept"),
    path("kontakte/<id:pk>/ablehnen/", views.answer_request, {"answer": "decline"}, name="decline"),
]
