import logging

from django.db import connection
from django.http import Http404, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends

logger = logging.getLogger(__name__)


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _task_backend_state():
    backend = task_backends["default"]  # (default_task_backend is a proxy)
    state = {"backend": type(backend).__name__}
    try:
        if type(backend).__name__ == "RQBackend":
            import django_rq

            django_rq.get_connection("default").ping()
        elif type(backend).__name__ == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            state["waiting"] = DBTaskResult.objects.ready().count()
    except Exception as error:
        return {**state, "ok": False, "error": type(error).__name__}
    return {**state, "ok": True}


@never_cache
@require_GET
def healthz(request):
    """State of database and task backend as JSON; status 503 if either is down.

    With ``?deep=1`` and the operators' token also Redis, the object storage, the task
    queue's oldest waiting job and the newsletter sender (``core.health``)."""
    from . import health

    deep = request.GET.get("deep") not in (None, "", "0")
    if deep and not health.token_ok(request):
        raise Http404
    database = _database_state()
    tasks = _task_backend_state()
    state = {"database": database, "tasks": tasks}
    if deep:
        state.update(health.deep_state())
    ok = all(part["ok"] for part in state.values())
    return JsonResponse({"status": "ok" if ok else "error", **state}, status=200 if ok else 503)


def server_error(request):
    """The German 500 page in the layout, or a plain one if the layout itself fails."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:
        logger.exception("500 page could not be rendered in the layout")
        return HttpResponseServerError(loader.render_to_string("500_plain.html"))


@require_GET
def favicon(request):
    """``/favicon.ico``, which browsers ask for on their own: the icon of the site
    settings (as a 32-pixel PNG), otherwise kommune360's."""
    from .models import SiteSettings

    icon = SiteSettings.for_request(request).icon
    url = (
        icon.get_rendition("fill-32x32|format-png").url if icon else static("core/img/favicon.png")
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "public, max-age=86400"
    return response
