"""Serving the site for a benchmark as in production: gunicorn on loopback, DEBUG off.

``site_environment`` builds the environment (a fresh data folder, a random secret key,
plain HTTP on loopback so no redirect to HTTPS, ``/__bench__/bare`` routed), the
benchmark adds what it measures; ``start_gunicorn`` serves it in its own process
group, ``wait_until_up`` waits for an answer, ``stop`` ends the whole group.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
BARE = "/__bench__/bare"
# Settings of the calling shell that would change what is measured.
DROPPED = {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "PYTEST_VERSION", "DEBUG"}
DROPPED_PREFIXES = ("SECURE_", "PAGE_CACHE", "DJANGO_", "KOMMUNE360_TASKS")


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def site_environment(data_dir, port, **settings):
    """The site's environment for a benchmark; ``settings`` add to it or replace."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in DROPPED and not key.startswith(DROPPED_PREFIXES)
    }
    env.update(
        {
            "KOMMUNE360_DATA_DIR": str(data_dir),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": f"http://{HOST}:{port}",
            # Plain HTTP on loopback: no redirect to HTTPS (everything else as in production).
            "SECURE_SSL_REDIRECT": "false",
            "KOMMUNE360_BENCH": "1",  # routes BARE
            "LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    return env


def start_gunicorn(env, port, *, workers, threads, keep_alive=5, options=()):
    """gunicorn (``gthread``) serving the site on ``port``, in a process group of its own."""
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "kommune360.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            str(keep_alive),
            *options,
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_until_up(port, server, path=BARE, answers=(200,), seconds=180):
    """Wait until ``path`` answers with one of ``answers``; fail if gunicorn exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", path)
            if connection.getresponse().status in answers:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"the site did not answer within {seconds} s")


def stop(server):
    """End gunicorn and its workers (SIGTERM, SIGKILL after 20 seconds)."""
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
