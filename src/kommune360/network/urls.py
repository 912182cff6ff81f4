from django.urls import path

from . import views
from .matching import views as matching_views

app_name = "network"

urlpatterns = [
    path("", views.network_home, name="home"),
    path("fellows/", views.fellows, name="fellows"),
    path("mitglieder/", views.directory, name="directory"),
    path("mitglieder/<id:pk>/", views.profile_detail, name="profile_detail"),
    path("mitglieder/<id:pk>/foto/", views.photo, name="photo"),
    path("mitglieder/<id:pk>/anfragen/", views.request_contact, name="request_contact"),
    path("mitglieder/<id:pk>/blockieren/", views.block_member, name="block"),
    path("mitglieder/<id:pk>/freigeben/", views.block_member, {"undo": True}, name="unblock"),
    path("mitglieder/<id:pk>/melden/", views.report_member, name="report"),
    path("profil/", views.profile_edit, name="profile"),
    path("kontakte/", views.contacts, name="contacts"),
    path("kontakte/<id:pk>/annehmen/", views.answer_request, {"answer": "accept"}, name="accept"),
    path("kontakte/<id:pk>/ablehnen/", views.answer_request, {"answer": "decline"}, name="decline"),
    path("runden/", matching_views.round_list, name="rounds"),
    path("runden/<id:pk>/", matching_views.round_detail, name="round"),
    path(
        "tandems/<id:pk>/annehmen/",
        matching_views.pair_answer,
        {"accept": True},
        name="pair_accept",
    ),
    path(
        "tandems/<id:pk>/ablehnen/",
        matching_views.pair_answer,
        {"accept": False},
        name="pair_decline",
    ),
    path("tandems/<id:pk>/wie-laeuft-es/", matching_views.follow_up, name="follow_up"),
]
