from django.urls import path

from . import views, webhooks

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("danke/", views.thanks, name="thanks"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("einstellungen/<str:token>/", views.preferences, name="preferences"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("k/<str:token>/", views.click, name="click"),
    path("archiv/", views.archive, name="archive"),
    path("archiv/<slug:slug>/", views.archive_detail, name="archive_detail"),
    # The configured provider's bounce webhook (django-anymail), e.g. .../postmark/tracking/
    path("bounces/<str:provider>/tracking/", webhooks.tracking_webhook, name="bounce_webhook"),
]
