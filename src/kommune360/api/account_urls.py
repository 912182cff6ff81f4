from django.urls import path

from . import account_views

app_name = "api"

urlpatterns = [
    path("", account_views.token_list, name="tokens"),
    path("<id:pk>/widerrufen/", account_views.token_revoke, name="token_revoke"),
]
