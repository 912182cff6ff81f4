"""The multi-server setup (``ops/cluster.py``, ``make cluster``) behind the real nginx:
visitor addresses as nginx reports them, and a change saved through one app server seen
through the other within two seconds (atlas list, page cache, site search).

``CLUSTER_TEST_RUNNING=1`` tests the running ``make cluster`` instead of starting one.
Needs nginx (installed with ``make nginx``, which ``make test`` runs; the fixture tries
it too and skips only where apt cannot install), PostgreSQL and Redis on this machine.
"""

import http.client
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("k360_cluster", ROOT / "ops" / "cluster.py")
cluster_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cluster_module)

# One cluster for all of these tests: under pytest-xdist they share one process
# (`make test` distributes by group).
pytestmark = [pytest.mark.cluster, pytest.mark.xdist_group("cluster")]
VISIBLE_WITHIN = 2.0


def _nginx_or_skip():
    if cluster_module.NGINX:
        return
    result = subprocess.run(["make", "-C", str(ROOT), "nginx"], capture_output=True, text=True)
    spec.loader.exec_module(cluster_module)
    if not cluster_module.NGINX:
        pytest.skip(f"nginx could not be installed: {result.stderr[-300:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if os.environ.get("CLUSTER_TEST_RUNNING") == "1":
        # The cluster of `make cluster` (CLUSTER_* as there), neither started nor stopped.
        yield cluster_module.Cluster()
        return
    _nginx_or_skip()
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    config = cluster_module.Config(
        CLUSTER_PORT=8300 + 20 * worker,
        CLUSTER_DIR=tmp_path_factory.mktemp("cluster"),
        CLUSTER_DB=f"k360_cluster_test{worker}",
        CLUSTER_REDIS_DB=8 + worker,
        CLUSTER_GUNICORN_WORKERS=1,
    )
    running = cluster_module.Cluster(config)
    try:
        running.start()
    except Exception:
        running.stop(quiet=True)
        raise
    yield running
    running.stop(quiet=True)


def request(port, method, path, *, source="127.0.0.1", body=None, headers=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            dict(response.getheaders()),
            response.read().decode(errors="replace"),
        )
    finally:
        connection.close()


def signup(cluster, source, **headers):
    """A valid newsletter sign-up (the form's first topic, consent given); its status."""
    form = request(cluster.config.port, "GET", "/newsletter/")[2]
    topic = re.search(r'name="topics" value="(\d+)"', form).group(1)
    body = f"email={uuid.uuid4().hex[:10]}%40example.org&topics={topic}&consent=on"
    return request(
        cluster.config.port,
        "POST",
        "/newsletter/",
        source=source,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )[0]


def _loopback():
    """An address of its own for this run (the limits last an hour)."""
    return "127." + ".".join(str(random.randrange(1, 255)) for _ in range(3))


def test_visitors_behind_nginx_have_their_own_limits(cluster):
    from kommune360.newsletter.views import SIGNUP_LIMIT_PER_IP

    one, two = _loopback(), _loopback()
    first = [signup(cluster, one) for _ in range(SIGNUP_LIMIT_PER_IP)]
    assert set(first) == {302}
    assert signup(cluster, one) == 429
    # Another address has a limit of its own.
    assert signup(cluster, two) == 302
    # A forged header does not give the first visitor a fresh limit: nginx appends the
    # address it saw, and the site takes that one.
    assert signup(cluster, one, **{"X-Forwarded-For": "10.1.2.3"}) == 429
    assert signup(cluster, one, **{"X-Forwarded-For": f"{two}, 10.1.2.3"}) == 429


OFFER = (
    "from kommune360.atlas.models import Offer; "
    "o = Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by('pk').first(); "
)


def _shell(cluster, code):
    """Run ``code`` in a process configured as app server 1; the words of its last line."""
    return cluster.run("app1", "shell", "-c", code).strip().splitlines()[-1].split()


class Watcher(threading.Thread):
    """Asks app server 2 for ``path`` until ``word`` shows; the time it first did."""

    def __init__(self, port, path, word):
        super().__init__(daemon=True)
        self.port, self.path, self.word = port, path, word
        self.seen_at, self.stop = None, threading.Event()

    def run(self):
        while not self.stop.is_set():
            if _seen(self.port, self.path, self.word)[0]:
                self.seen_at = time.time()
                return
            time.sleep(0.02)


def _seen(port, path, word):
    status, headers, body = request(port, "GET", path)
    return status == 200 and word in body, headers


def test_a_change_through_one_server_is_seen_through_the_other_within_two_seconds(cluster):
    other = cluster.config.app_port("app2")
    # Searched for the first word, recognised by the second (a search page repeats
    # the words searched for, not the others of the title it finds).
    word, shown = ("Clusterprobe" + uuid.uuid4().hex[:8] for _ in range(2))
    (detail,) = _shell(cluster, OFFER + "print(o.get_absolute_url())")
    pages = {
        "atlas list": f"/angebote/?q={word}",
        "page cache": detail,
        "site search": f"/suche/?q={quote(word)}",
    }
    # The offer's page is in the (shared) page cache before the change.
    request(other, "GET", detail)
    assert _seen(other, detail, "")[1].get("X-Page-Cache") == "hit"
    watchers = {name: Watcher(other, path, shown) for name, path in pages.items()}
    for watcher in watchers.values():
        watcher.start()

    code = OFFER + f"o.title = 'Angebot {word} {shown}'; o.save(); import time; print(time.time())"
    saved_at = float(_shell(cluster, code)[0])

    for watcher in watchers.values():
        watcher.join(timeout=max(0.1, saved_at + 10 - time.time()))
        watcher.stop.set()
    delays = {name: round(w.seen_at - saved_at, 3) for name, w in watchers.items() if w.seen_at}
    print("visible after", json.dumps(delays), file=sys.stderr)
    assert set(delays) == set(pages)
    assert max(delays.values()) <= VISIBLE_WITHIN


def test_health_and_metrics_through_nginx(cluster):
    token = json.loads((cluster.dir / "secrets.json").read_text())["OPERATIONS_TOKEN"]
    port = cluster.config.port
    assert request(port, "GET", "/healthz")[0] == 200
    assert request(port, "GET", "/healthz?deep=1")[0] == 404
    assert request(port, "GET", "/metrics")[0] == 404
    auth = {"Authorization": f"Bearer {token}"}
    status, _headers, body = request(port, "GET", "/healthz?deep=1", headers=auth)
    state = json.loads(body)
    assert status == 200, state
    assert state["storage"]["default"]["backend"] == "MediaS3Storage"
    assert state["tasks"]["backend"] == "RQBackend"
    status, _headers, body = request(
        cluster.config.app_port("app1"), "GET", "/metrics", headers=auth
    )
    assert status == 200
    assert 'kommune360_http_requests_total{status="200",view="healthz"}' in body
    assert "kommune360_task_queue_depth" in body and "kommune360_mails{" in body


def test_media_come_from_the_object_storage_through_nginx(cluster):
    _status, _headers, body = request(cluster.config.port, "GET", "/")
    start = body.find("/media/")
    assert start > 0
    path = body[start : body.find('"', start)]
    status, headers, _ = request(cluster.config.port, "GET", path)
    assert status == 200 and headers["Content-Type"].startswith("image/")
    assert not any((cluster.dir / name / "media").exists() for name in ("app1", "app2"))
