from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kommune360.core import shared_parts
from kommune360.core import urls as core_urls
from kommune360.core.certificates import verify_certificate
from kommune360.core.metrics import metrics
from kommune360.core.sitemaps import sitemap
from kommune360.core.views import healthz

handler500 = "kommune360.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # Staff log in through allauth (which asks for the second factor), never through
    # the admin's own password form.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("kommune360.api.urls")),
    path("", include(core_urls)),
    path("", include("kommune360.core.bench")),
]

urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("konto/", include("kommune360.accounts.urls")),
    path("konto/api-schluessel/", include("kommune360.api.account_urls")),
    # Capability apps add their URLs here, above Wagtail's catch-all.
    path("mitdenken/", include("kommune360.participation.urls")),
    path("angebote/", include("kommune360.atlas.urls")),
    path("veranstaltungen/", include("kommune360.events.urls")),
    path("lernpfade/", include("kommune360.learning.urls")),
    path("fortbildungsantrag/", include("kommune360.training_requests.urls")),
    path("auszeichnungen/", include("kommune360.awards.urls")),
    path("nachweis/<str:code>/", verify_certificate, name="certificate_verify"),
    path("newsletter/", include("kommune360.newsletter.urls")),
    path("netzwerk/", include("kommune360.network.urls")),
    path("wirkung/", include("kommune360.impact.urls")),
    path("offene-daten/", include("kommune360.api.open_data_urls")),
    path("", include("kommune360.editorial.urls")),
    # Wagtail's catch-all page view, in the language shown (core.languages.route_page),
    # with the route shared (kommune360.core.shared_parts).
    re_path(wagtail_urls.serve_pattern, shared_parts.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
