from django.urls import path

from . import v1, views

urlpatterns = [
    path("api/", views.reference, name="api_reference"),
    path("api/v1/", v1.build().urls),
]
