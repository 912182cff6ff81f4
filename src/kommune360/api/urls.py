from django.urls import include, path

from . import v1, views

urlpatterns = [
    path("api/", views.reference, name="api_reference"),
    path("api/v1/", include(v1.fast_urls())),
    path("api/v1/", v1.build().urls),
]
