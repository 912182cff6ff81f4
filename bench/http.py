"""HTTP throughput of kommune360 pages against a bare Django view.

Sets up a fresh data folder (SQLite, migrate, collectstatic, demo content), serves the
site as in production (gunicorn, DEBUG off, page cache on; plain HTTP on loopback, so
no HTTPS redirect) and measures requests per second with the same load client and the
same duration on each page and on ``/__bench__/bare``, a view that returns a few bytes
through the same middleware stack. The ratio page/bare shows what the page itself costs
an anonymous visitor; the goal is at least 0.8.

A second gunicorn on the same data folder serves the same pages without the page cache
(``PAGE_CACHE_SECONDS=0``) to a logged-in member (a demo account's session cookie), as
every member and editor gets them; its ratios to the bare view are measured in the same
run, interleaved with the others, and the goal there is at least 0.15 for every page.

Later issues add their pages to ``PAGES``. The last two lines of output are

    http home_rps=… bare_rps=… ratio=…
    http_uncached min_ratio=… worst_page=… ratios=name:ratio,…

Environment: ``BENCH_SECONDS`` (measured seconds per target, default 10),
``BENCH_CONNECTIONS`` (default 4), ``BENCH_WORKERS`` / ``BENCH_THREADS`` (gunicorn,
default 2 / 2), ``BENCH_KEEP=1`` keeps the temporary data folder.
"""

import sys

# This file is called http.py: its folder goes to the end of the import path (for the
# ``support`` package), or it would shadow the standard library's http package.
_HERE = __file__.rpartition("/")[0]
sys.path[:] = [p for p in sys.path if p and p.rstrip("/") != _HERE] + [_HERE]

import http.client  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from support.serving import (  # noqa: E402
    BARE,
    BIN,
    HOST,
    ROOT,
    free_port,
    log,
    site_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)

# (name, path) of the pages compared with the bare view. The first one is the home page.
PAGES = [
    ("home", "/"),
    ("angebote", "/angebote/?q=Fortbildungen&methode=agilitaet&sortierung=titel"),
    ("magazin", "/magazin/"),
    ("artikel", "/magazin/its-a-match/"),
    ("podcast", "/podcast/"),
    ("folge", "/podcast/diensteid-fuer-transformation/"),
    ("podcast_feed", "/podcast/feed.xml"),
    ("publikationen", "/publikationen/"),
    ("suche", "/suche/?q=Verwaltung"),
]
GOAL = 0.8
UNCACHED_GOAL = 0.15

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
ROUNDS = 5  # each target is measured in ROUNDS slices, interleaved, to even out noise
WARMUP_SECONDS = 2


def page_cache_environment(data_dir, port, page_cache_seconds=None):
    # BENCH_PAGE_CACHE_SECONDS=0 measures every page as rendered, without the cache.
    seconds = page_cache_seconds or os.environ.get("BENCH_PAGE_CACHE_SECONDS", "600")
    return site_environment(data_dir, port, PAGE_CACHE_SECONDS=seconds)


def manage(env, *args):
    subprocess.run(
        [str(BIN / "kommune360"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def member_cookie(env):
    """A ``Cookie`` header value with the session of a demo member (no staff)."""
    code = (
        "from importlib import import_module\n"
        "from django.conf import settings\n"
        "from django.contrib import auth\n"
        "user = auth.get_user_model().objects.filter(is_staff=False, is_superuser=False,"
        " groups__name='Mitglied').exclude(groups__name__in=['Redaktion', 'Moderation',"
        " 'Administration', 'Jury', 'Anbieter:in']).order_by('pk').first()\n"
        "store = import_module(settings.SESSION_ENGINE).SessionStore()\n"
        "store[auth.SESSION_KEY] = str(user.pk)\n"
        "store[auth.BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]\n"
        "store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "store.create()\n"
        "print(f'{settings.SESSION_COOKIE_NAME}={store.session_key}')\n"
    )
    result = subprocess.run(
        [str(BIN / "kommune360"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def get(port, path, timeout=5, cookie=""):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        log("Installing Debian's wrk (HTTP load client) …")
        for command in (["apt-get", "install", "-y", "-qq", "wrk"],):
            subprocess.run(
                [*sudo, *command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=300,
                check=False,
            )
    return bool(shutil.which("wrk"))


def load_wrk(port, path, seconds, cookie=""):
    """Requests completed in ``seconds`` by wrk with CONNECTIONS keep-alive connections."""
    result = subprocess.run(
        [
            "wrk",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            "-t",
            "1",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "5s",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    output = result.stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"errors while loading {path}:\n{output}")
    requests = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", output).group(1))
    return requests


def load_python(port, path, seconds, cookie=""):
    """Fallback client: CONNECTIONS threads with keep-alive connections (http.client)."""
    counts = [0] * CONNECTIONS
    errors = []
    stop = time.monotonic() + seconds

    def run(index):
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            while time.monotonic() < stop:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(response.status)
                    return
                counts[index] += 1
        except OSError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 10)
    if errors:
        raise RuntimeError(f"errors while loading {path}: {errors[:3]}")
    return sum(counts)


def check_targets(port, uncached_port, cookie):
    status, _, body = get(port, BARE)
    assert status == 200 and body == b"ok\n", (status, body)
    for name, path in PAGES:
        status, headers, body = get(uncached_port, path, cookie=cookie)
        assert status == 200 and "X-Page-Cache" not in headers, (name, path, status)
        if "html" in headers.get("Content-Type", ""):
            assert b"Mein Konto" in body, (name, path, "not logged in")
        # Each gunicorn process keeps its own pages (the generation is shared): ask
        # often enough to reach every process at least once more.
        states = []
        for _ in range(2 * WORKERS + 1):
            status, headers, _ = get(port, path)
            assert status == 200, (name, path, status)
            states.append(headers.get("X-Page-Cache", "none"))
        cache_state = "hit" if "hit" in states else states[-1]
        log(f"  {name} {path}: status {status}, page cache {cache_state}")


def measure(port, uncached_port, load, cookie):
    targets = [
        ("bare", port, BARE, ""),
        *((name, port, path, "") for name, path in PAGES),
        *((f"{name}~uncached", uncached_port, path, cookie) for name, path in PAGES),
    ]
    for _, target_port, path, each_cookie in targets:
        load(target_port, path, WARMUP_SECONDS, each_cookie)
    totals = dict.fromkeys((name for name, *_ in targets), 0)
    slice_seconds = max(1, SECONDS // ROUNDS)
    for _ in range(ROUNDS):
        for name, target_port, path, each_cookie in targets:
            totals[name] += load(target_port, path, slice_seconds, each_cookie)
    duration = slice_seconds * ROUNDS
    return {name: count / duration for name, count in totals.items()}


def serve(env, port, data_dir, log_name):
    options = ("--error-logfile", str(data_dir / log_name))
    return start_gunicorn(env, port, workers=WORKERS, threads=THREADS, options=options)


def main():
    data_dir = Path(tempfile.mkdtemp(prefix="kommune360-bench-"))
    port = free_port()
    env = page_cache_environment(data_dir, port)
    uncached_port = free_port()
    uncached_env = page_cache_environment(data_dir, uncached_port, page_cache_seconds="0")
    server = uncached = None
    try:
        log(f"Preparing {data_dir} (migrate, collectstatic, demo content) …")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        manage(env, "load_demo")
        cookie = member_cookie(uncached_env)  # signed with that server's secret key
        log(f"gunicorn: {WORKERS} workers × {THREADS} threads on {HOST}:{port}")
        server = serve(env, port, data_dir, "gunicorn.log")
        log(f"gunicorn without the page cache, for a member, on {HOST}:{uncached_port}")
        uncached = serve(uncached_env, uncached_port, data_dir, "gunicorn-uncached.log")
        wait_until_up(port, server)
        wait_until_up(uncached_port, uncached)
        check_targets(port, uncached_port, cookie)
        load = load_wrk if ensure_wrk() else load_python
        client = "wrk" if load is load_wrk else "Python threads"
        log(f"Client: {client}, {CONNECTIONS} connections, {SECONDS} s per target")
        rps = measure(port, uncached_port, load, cookie)
    finally:
        for each in (server, uncached):
            stop(each)
        if os.environ.get("BENCH_KEEP") == "1":
            log(f"Kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    bare = rps["bare"]
    below = []
    for name, path in PAGES:
        ratio = rps[name] / bare
        if ratio < GOAL:
            below.append(name)
        print(f"http page={name} path={path} rps={rps[name]:.0f} ratio={ratio:.2f}")
    home_name = PAGES[0][0]
    print(
        f"http home_rps={rps[home_name]:.0f} bare_rps={bare:.0f} ratio={rps[home_name] / bare:.2f}"
    )
    if below:
        log(f"Below the goal of {GOAL}: {', '.join(below)}")
    uncached_ratios = {name: rps[f"{name}~uncached"] / bare for name, _ in PAGES}
    worst = min(uncached_ratios, key=uncached_ratios.get)
    listed = ",".join(f"{name}:{ratio:.2f}" for name, ratio in uncached_ratios.items())
    print(
        f"http_uncached min_ratio={uncached_ratios[worst]:.2f} worst_page={worst} ratios={listed}"
    )
    below = [name for name, ratio in uncached_ratios.items() if ratio < UNCACHED_GOAL]
    if below:
        log(f"Without the page cache below {UNCACHED_GOAL}: {', '.join(below)}")


if __name__ == "__main__":
    main()
