"""django-ninja against Django REST framework on the offers endpoint (decision 0120).

Both answer the same request the same way: the atlas's ``OfferQuery`` finds the
offers (German search words and facets on the facet snapshot), one page of 20 offers
is read, and each library serialises it with its own means — django-ninja with a
pydantic schema (``Schema`` with ``from_attributes``), Django REST framework with a
``Serializer`` (``many=True``). The views are called in-process (``RequestFactory``, no
middleware), interleaved in slices so that other load on the machine hits both alike.

The last line is

    api_libraries ninja_p50_ms=… ninja_p95_ms=… drf_p50_ms=… drf_p95_ms=… ratio=…

with ratio = DRF p50 / ninja p50 (above 1: ninja is faster).

Environment: ``BENCH_OFFERS`` (default 5000), ``BENCH_ROUNDS`` (default 300).
"""

import sys

sys.path[:] = [p for p in sys.path if p and __file__.rpartition("/")[0] != p.rstrip("/")]

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
os.environ.setdefault("BENCH_OFFERS", "5000")


def log(message):
    print(message, file=sys.stderr, flush=True)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def worker():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    from datetime import datetime

    import atlas_search
    from django.core.management import call_command
    from django.http import JsonResponse
    from django.test import RequestFactory

    # DRF reads ``?format=`` as the renderer's name (a 404 for the atlas's facet
    # ``format``) unless this is switched off.
    from django.test.utils import override_settings
    from ninja import NinjaAPI, Schema
    from rest_framework import serializers
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from kommune360.atlas.filters import OfferQuery
    from kommune360.atlas.models import Offer

    override_settings(REST_FRAMEWORK={"URL_FORMAT_OVERRIDE": None}).enable()
    call_command("migrate", verbosity=0)
    atlas_search.build(random.Random(atlas_search.SEED))

    def page(params):
        query = OfferQuery(params)
        query._match()
        ids = [int(i) for i in query.ids_between(0, 20)]
        offers = {
            o.pk: o for o in Offer.objects.filter(pk__in=ids).select_related("provider", "format")
        }
        facets = {
            group.facet.param: [
                {"wert": o.value, "name": o.label, "anzahl": o.count} for o in group.options
            ]
            for group in query.facet_groups()
        }
        return query.total, [offers[i] for i in ids if i in offers], facets

    # --- django-ninja ---------------------------------------------------------------------
    class OfferOut(Schema):
        id: int
        slug: str
        title: str
        summary: str
        provider: str
        format: str
        delivery: str
        cost: str
        certificate: bool
        published_at: datetime | None

        @staticmethod
        def resolve_provider(obj):
            return obj.provider.name

        @staticmethod
        def resolve_format(obj):
            return obj.format.name

    class FacetValue(Schema):
        wert: str
        name: str
        anzahl: int

    class PageOut(Schema):
        total: int
        items: list[OfferOut]
        facets: dict[str, list[FacetValue]]

    api = NinjaAPI(urls_namespace="bench_ninja")

    @api.get("/offers", response=PageOut)
    def ninja_offers(request):
        total, items, facets = page(request.GET)
        return {"total": total, "items": items, "facets": facets}

    ninja_view = next(p for p in api.urls[0] if p.name == "ninja_offers").callback

    # --- Django REST framework ------------------------------------------------------------
    class OfferSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        slug = serializers.CharField()
        title = serializers.CharField()
        summary = serializers.CharField()
        provider = serializers.CharField(source="provider.name")
        format = serializers.CharField(source="format.name")
        delivery = serializers.CharField()
        cost = serializers.CharField()
        certificate = serializers.BooleanField()
        published_at = serializers.DateTimeField(allow_null=True)

    class DrfOffers(APIView):
        authentication_classes = []
        permission_classes = []

        def get(self, request):
            total, items, facets = page(request.GET)
            data = {
                "total": total,
                "items": OfferSerializer(items, many=True).data,
                "facets": facets,
            }
            return Response(data)

    drf_view = DrfOffers.as_view()

    # --- the query alone (what both share) ------------------------------------------------
    def bare_view(request):
        total, items, facets = page(request.GET)
        return JsonResponse({"total": total, "ids": [o.pk for o in items], "facets": facets})

    factory = RequestFactory()
    params = [
        {"q": "Verwaltung", "methode": "design-thinking", "durchfuehrung": "online"},
        {"q": "Führungskräfte", "zielgruppe": "jugendamtsleitung", "kosten": "kostenfrei"},
        {"q": "Planung", "format": "workshop-seminar", "region": "bundesweit"},
    ]

    def call(view, n):
        request = factory.get("/offers", params[n % len(params)], HTTP_ACCEPT="application/json")
        started = time.perf_counter()
        response = view(request)
        if hasattr(response, "render"):
            response.render()
        assert response.status_code == 200, (view, response.content[:300])
        return (time.perf_counter() - started) * 1000

    views = {"ninja": ninja_view, "drf": drf_view, "bare": bare_view}
    for n in range(20):
        for view in views.values():
            call(view, n)
    times = {name: [] for name in views}
    for n in range(ROUNDS):
        for name, view in views.items():
            times[name].append(call(view, n))
    result = {
        name: {"p50": statistics.median(v), "p95": percentile(v, 0.95)} for name, v in times.items()
    }
    # The OpenAPI description, generated once (ninja's own; DRF's via drf-spectacular).
    started = time.perf_counter()
    api.get_openapi_schema(path_prefix="/api/")
    result["ninja_schema_ms"] = (time.perf_counter() - started) * 1000
    print("RESULT " + json.dumps(result), flush=True)


def main():
    with tempfile.TemporaryDirectory(prefix="kommune360-api-libraries-") as folder:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_VERSION", "DEBUG"}
        }
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                "KOMMUNE360_DATA_DIR": f"{folder}/data",
                "SECRET_KEY": "bench-" + "x" * 50,
                "KOMMUNE360_TASKS": "immediate",
                "PAGE_CACHE_SECONDS": "0",
                "LOG_LEVEL": "ERROR",
            }
        )
        completed = subprocess.run(
            [sys.executable, __file__, "--worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    r = json.loads(line.removeprefix("RESULT "))
    for name in ("ninja", "drf", "bare"):
        print(f"{name}: p50={r[name]['p50']:.2f} ms p95={r[name]['p95']:.2f} ms")
    print(f"ninja OpenAPI description generated in {r['ninja_schema_ms']:.1f} ms")
    print(
        f"api_libraries ninja_p50_ms={r['ninja']['p50']:.2f} ninja_p95_ms={r['ninja']['p95']:.2f} "
        f"drf_p50_ms={r['drf']['p50']:.2f} drf_p95_ms={r['drf']['p95']:.2f} "
        f"ratio={r['drf']['p50'] / r['ninja']['p50']:.2f}"
    )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
