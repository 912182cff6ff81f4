from django.urls import path

from . import views

app_name = "training_requests"

urlpatterns = [
    path("<slug:key>/<id:pk>/", views.request_form, name="form"),
]
