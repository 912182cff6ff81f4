"""``/offene-daten/``: the datasets with licence, formats and update frequency, and the
catalogue in DCAT-AP.de (``katalog.ttl``, ``katalog.rdf``)."""

from django.http import HttpResponse
from django.shortcuts import render

from kommune360.core.models import SiteSettings

from . import catalogue


def datasets(request):
    name = SiteSettings.for_request(request).network_name
    return render(
        request,
        "api/datasets.html",
        {
            "datasets": catalogue.datasets(),
            "licence": catalogue.LICENCE_NAME,
            "json_ld": catalogue.json_ld(name),
        },
    )


def _catalogue(request, fmt, content_type):
    name = SiteSettings.for_request(request).network_name
    text = catalogue.graph(name).serialize(format=fmt)
    return HttpResponse(text, content_type=f"{content_type}; charset=utf-8")


def catalogue_turtle(request):
    return _catalogue(request, "turtle", "text/turtle")


def catalogue_rdf(request):
    return _catalogue(request, "xml", "application/rdf+xml")
