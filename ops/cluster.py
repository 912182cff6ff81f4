"""The multi-server setup on one machine: ``make cluster`` / ``make cluster-stop``.

Each part is its own process with its own data folder (``<CLUSTER_DIR>/<name>``):

- nginx (Debian's package) on ``CLUSTER_PORT`` as reverse proxy and load balancer in
  front of both app servers; it sets ``X-Forwarded-For``/``X-Forwarded-Proto`` and
  forwards ``/media/`` to the object storage's bucket;
- ``app1``, ``app2``: gunicorn on the next two ports;
- ``worker1``, ``worker2``: ``kommune360 worker`` (RQ through django-tasks, and the
  periodic tasks, each once per period across both);
- ``s3``: moto's S3 server (PyPI) on ``CLUSTER_PORT + 9`` standing in for any
  S3-compatible object storage (it keeps its objects in memory);
- PostgreSQL and Redis are the machine's services: database ``CLUSTER_DB``
  (``k360_cluster``), Redis database ``CLUSTER_REDIS_DB`` (7).

``start`` begins fresh every time (database dropped and created, the Redis database
emptied, moto empty), migrates, loads the demo content and waits until every server
answers ``/healthz``. The values the servers got are in ``<CLUSTER_DIR>/cluster.env``
(e.g. ``OPERATIONS_TOKEN`` for ``/metrics``). ``stop`` ends every process it started.
``kill NAME`` sends SIGKILL, ``restart NAME`` starts one part again (the load
benchmark uses both).

    python ops/cluster.py start|stop|status|kill NAME|restart NAME
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
NGINX = next(
    (p for p in ("/usr/sbin/nginx", shutil.which("nginx") or "") if p and os.access(p, os.X_OK)),
    "",
)
APPS = ("app1", "app2")
WORKERS = ("worker1", "worker2")
BUCKET = "kommune360"


class Config:
    def __init__(self, **overrides):
        get = lambda name, default: str(overrides.get(name, os.environ.get(name, default)))  # noqa: E731
        self.port = int(get("CLUSTER_PORT", 8100))
        self.dir = Path(get("CLUSTER_DIR", ROOT / "cluster-data")).resolve()
        self.database = get("CLUSTER_DB", "k360_cluster")
        self.postgres = get("CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        self.redis = get("CLUSTER_REDIS", "redis://127.0.0.1:6379")
        self.redis_db = int(get("CLUSTER_REDIS_DB", 7))
        self.demo = get("CLUSTER_DEMO", "1") == "1"
        self.gunicorn_workers = int(get("CLUSTER_GUNICORN_WORKERS", 2))
        self.gunicorn_threads = int(get("CLUSTER_GUNICORN_THREADS", 4))
        self.extra_env = {
            k.removeprefix("CLUSTER_SITE_"): v
            for k, v in {**os.environ, **overrides}.items()
            if k.startswith("CLUSTER_SITE_")
        }

    def app_port(self, name):
        return self.port + 1 + APPS.index(name)

    @property
    def s3_port(self):
        return self.port + 9

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    @property
    def database_url(self):
        return f"{self.postgres}/{self.database}"


def log(message):
    print(message, file=sys.stderr, flush=True)


class Cluster:
    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.dir = self.config.dir

    # --- environment ---------------------------------------------------------------

    def _secrets(self):
        path = self.dir / "secrets.json"
        if not path.exists():
            path.write_text(
                json.dumps(
                    {
                        "SECRET_KEY": secrets.token_urlsafe(50),
                        "OPERATIONS_TOKEN": secrets.token_urlsafe(24),
                    }
                )
            )
            path.chmod(0o600)
        return json.loads(path.read_text())

    def site_env(self, name) -> dict:
        """The environment of the part ``name`` (its own data folder, shared services)."""
        c = self.config
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST", "DJANGO_", "KOMMUNE360_", "CLUSTER_"))
            and k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "PAGE_CACHE_SECONDS")
            and not k.startswith(("SECURE_", "SHARED_PARTS", "S3_"))
        }
        data = self.dir / name
        env.update(
            {
                **self._secrets(),
                "PYTHONPATH": str(ROOT / "src"),
                "KOMMUNE360_DATA_DIR": str(data),
                "DATABASE_URL": c.database_url,
                "REDIS_URL": f"{c.redis}/{c.redis_db}",
                "S3_BUCKET": BUCKET,
                "S3_ENDPOINT_URL": f"http://{HOST}:{c.s3_port}",
                "S3_REGION": "us-east-1",
                "S3_ACCESS_KEY_ID": "cluster",
                "S3_SECRET_ACCESS_KEY": "cluster",
                "S3_MEDIA_ACL": "public-read",
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "SITE_URL": c.url,
                "SECURE_SSL_REDIRECT": "false",
                "SECURE_PROXY_SSL_HEADER": "true",
                "TRUSTED_PROXY_COUNT": "1",
                "SECURE_COOKIES": "false",
                "SECURE_HSTS_SECONDS": "0",
                "STAFF_REQUIRE_MFA": "false",
                "NEWSLETTER_WORKER_TIMEOUT": "30",
                "LOG_LEVEL": "WARNING",
                **c.extra_env,
            }
        )
        return env

    def write_env_file(self):
        env = self.site_env("app1")
        keep = [k for k in env if k not in os.environ or k in self._secrets()]
        keep = sorted(set(keep) - {"KOMMUNE360_DATA_DIR", "PROMETHEUS_MULTIPROC_DIR"})
        (self.dir / "cluster.env").write_text("".join(f"{k}={env[k]}\n" for k in keep))

    # --- processes -----------------------------------------------------------------

    def _pid_file(self, name):
        return self.dir / "pids" / f"{name}.pid"

    def pid(self, name):
        try:
            pid = int(self._pid_file(name).read_text())
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None

    def _spawn(self, name, argv, env=None):
        (self.dir / "pids").mkdir(parents=True, exist_ok=True)
        (self.dir / "logs").mkdir(parents=True, exist_ok=True)
        with open(self.dir / "logs" / f"{name}.log", "ab") as out:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._pid_file(name).write_text(str(process.pid))
        return process

    def run(self, name, *args):
        """A management command with the environment of part ``name``; fails loudly."""
        result = subprocess.run(
            [str(BIN / "kommune360"), *args],
            env=self.site_env(name),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"kommune360 {' '.join(args)}: {result.stderr[-2000:]}")
        return result.stdout

    def start_part(self, name):
        c = self.config
        if name == "s3":
            argv = [str(BIN / "moto_server"), "-H", HOST, "-p", str(c.s3_port)]
            return self._spawn(name, argv)
        if name == "nginx":
            return self._start_nginx()
        env = self.site_env(name)
        if name in APPS:
            # The metrics of all of this server's gunicorn processes (core.metrics).
            prometheus = Path(env["KOMMUNE360_DATA_DIR"]) / "prometheus"
            shutil.rmtree(prometheus, ignore_errors=True)
            prometheus.mkdir(parents=True)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(prometheus)
            argv = [
                str(BIN / "gunicorn"),
                "kommune360.wsgi:application",
                "--bind",
                f"{HOST}:{c.app_port(name)}",
                "--workers",
                str(c.gunicorn_workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(c.gunicorn_threads),
                "--keep-alive",
                "30",
                "--graceful-timeout",
                "10",
            ]
        else:
            argv = [str(BIN / "kommune360"), "worker"]
        return self._spawn(name, argv, env)

    def _nginx_conf(self):
        c = self.config
        root = self.dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(
            f"    server {HOST}:{c.app_port(app)} max_fails=1 fail_timeout=5s;" for app in APPS
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = f"""{user}worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp/body;
  proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi;
  uwsgi_temp_path {root}/tmp/uwsgi;
  scgi_temp_path {root}/tmp/scgi;
  client_max_body_size 310m;
  upstream app {{
{servers}
    keepalive 64;
  }}
  server {{
    listen {HOST}:{c.port};
    # Public media from the bucket (core.storage.MediaS3Storage keeps their addresses
    # under /media/).
    location /media/ {{
      proxy_pass http://{HOST}:{c.s3_port}/{BUCKET}/media/;
      proxy_set_header Host {HOST}:{c.s3_port};
      proxy_hide_header x-amz-request-id;
      limit_except GET HEAD {{ deny all; }}
    }}
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      # A server that is down: requests that were not sent yet go to the other one
      # (nginx never repeats a POST that reached a server).
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""
        (root / "nginx.conf").write_text(conf)
        return root

    def _start_nginx(self):
        if not NGINX:
            raise RuntimeError("nginx fehlt: `make nginx` installiert Debians Paket.")
        root = self._nginx_conf()
        subprocess.run(
            [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-q"],
            check=True,
            cwd=root,
        )
        pid = (root / "nginx.pid").read_text().strip()
        self._pid_file("nginx").write_text(pid)

    def processes(self, name) -> list[int]:
        """The part's process and all its descendants (an RQ worker's work horse runs in
        a session of its own, outside the part's process group)."""
        pid = self.pid(name)
        if pid is None:
            return []
        children = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = [], [pid]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(children.get(current, []))
        return found

    def kill(self, name, sig=signal.SIGKILL):
        """Send ``sig`` to the part (SIGKILL: as if it crashed, with all its processes)."""
        pid = self.pid(name)
        if pid is None:
            return False
        targets = [pid] if name == "nginx" or sig != signal.SIGKILL else self.processes(name)
        try:
            if name != "nginx":
                os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        for target in targets:
            with contextlib.suppress(ProcessLookupError):
                os.kill(target, sig)
        return True

    def _wait_dead(self, name, seconds=15):
        pid = self.pid(name)
        deadline = time.monotonic() + seconds
        while pid and time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            time.sleep(0.1)
        if pid:
            self.kill(name, signal.SIGKILL)

    def restart(self, name):
        self.kill(name)
        self._wait_dead(name)
        self.start_part(name)
        if name in APPS:
            self.wait_for(self.config.app_port(name))

    # --- the whole ------------------------------------------------------------------

    def wait_for(self, port, path="/healthz", seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                connection.request("GET", path)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.3)
        raise RuntimeError(f"{HOST}:{port}{path} answered not within {seconds} s")

    def _fresh_services(self):
        c = self.config
        import redis

        redis.Redis.from_url(f"{c.redis}/{c.redis_db}").flushdb()
        admin = f"{c.postgres}/postgres"
        for sql in (
            f'DROP DATABASE IF EXISTS "{c.database}" WITH (FORCE)',
            f'CREATE DATABASE "{c.database}"',
        ):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)

    def _bucket(self):
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{self.config.s3_port}",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster",
            region_name="us-east-1",
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def start(self):
        self.stop(quiet=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.write_env_file()
        started = time.monotonic()
        self._fresh_services()
        self.start_part("s3")
        self._bucket()
        log("Datenbank wird eingerichtet …")
        self.run("app1", "migrate", "--no-input")
        if self.config.demo:
            self.run("app1", "load_demo", "--if-empty")
        self.run("app1", "collectstatic", "--no-input", "--verbosity", "0")
        for name in APPS[1:]:
            shutil.copytree(self.dir / "app1" / "static", self.dir / name / "static")
        for name in (*APPS, *WORKERS):
            self.start_part(name)
        for name in APPS:
            self.wait_for(self.config.app_port(name))
        self.start_part("nginx")
        self.wait_for(self.config.port)
        log(
            f"Cluster läuft auf {self.config.url}/ (nginx → {', '.join(APPS)}; "
            f"{', '.join(WORKERS)}; PostgreSQL {self.config.database}; Redis "
            f"{self.config.redis_db}; S3 :{self.config.s3_port}) nach "
            f"{time.monotonic() - started:.0f} s. Werte: {self.dir / 'cluster.env'}"
        )

    def stop(self, quiet=False):
        parts = ("nginx", *APPS, *WORKERS, "s3")
        for name in parts:
            if name == "nginx" and self.pid(name):
                self.kill(name, signal.SIGQUIT)
            else:
                self.kill(name, signal.SIGTERM)
        for name in parts:
            self._wait_dead(name)
            self._pid_file(name).unlink(missing_ok=True)
        if not quiet:
            log("Cluster beendet.")

    def status(self):
        return {name: self.pid(name) for name in ("nginx", *APPS, *WORKERS, "s3")}


def main(argv):
    cluster = Cluster()
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        cluster.start()
    elif command == "stop":
        cluster.stop()
    elif command == "kill":
        cluster.kill(argv[2])
    elif command == "restart":
        cluster.restart(argv[2])
    else:
        for name, pid in cluster.status().items():
            print(f"{name:8} {pid or '-'}")


if __name__ == "__main__":
    main(sys.argv)
