"""`make run`'s steps on a fresh database, then the real gunicorn serving over HTTP."""

import gzip
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import brotli
import pytest

from .helpers import PROJECT_ROOT, free_port, manage, project_env

pytestmark = pytest.mark.slow


def serve_with_gunicorn(env: dict[str, str]):
    """Start gunicorn (2 workers) on a free port with ``env``; yield its base URL and the master's
    process id until the module ends."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=PROJECT_ROOT,
        env=project_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        stderr = server.stderr.read().decode() if server.stderr else ""
        pytest.fail("gunicorn did not start: " + stderr[-2000:])
    yield base, server.pid
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def running_site(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("site") / "db.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{db_path}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
    }
    for step in (("migrate", "--noinput"), ("load_demo_content",), ("load_demo_content",)):
        result = manage(*step, **env)
        assert result.returncode == 0, result.stderr
    result = manage("ensure_admin", **env)
    assert result.returncode == 0, result.stderr
    match = re.search(r"user: (\S+)\s+password: (\S+)", result.stdout)
    assert match, result.stdout
    again = manage("ensure_admin", **env)
    assert "already exists" in again.stdout and "password:" not in again.stdout

    for base, _pid in serve_with_gunicorn(env):
        yield base, match.group(1), match.group(2)


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A deploy's steps with production settings: migrate, demo content, collectstatic, gunicorn."""
    folder = tmp_path_factory.mktemp("production")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "production-like-secret-" + "k3y!" * 10,
        "STATIC_ROOT": str(folder / "staticfiles"),
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front of this test server
        "STAFF_2FA_REQUIRED": "false",
    }
    for step in (("migrate", "--noinput"), ("load_demo_content",), ("collectstatic", "--noinput", "-v0")):
        result = manage(*step, **env)
        assert result.returncode == 0, result.stderr
    yield from serve_with_gunicorn(env)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/", "Privacy at Northwind"),
        ("/privacy-policy/", "Your rights"),
        ("/cookie-policy/", "Cookie Policy"),
    ],
)
def test_gunicorn_serves_public_pages(running_site, path, text):
    base, _, _ = running_site
    with urllib.request.urlopen(base + path, timeout=10) as response:
        assert response.status == 200
        assert text in response.read().decode()


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_gunicorn_serves_hashed_static_files_with_compression(production_site, accept, encoding):
    base, _ = production_site
    html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    # Templates link the content-hashed name (cacheable forever), not css/site.css.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, re.findall(r'href="[^"]*\.css"', html)
    url = base + stylesheet.group(1)

    plain = urllib.request.urlopen(url, timeout=10)
    plain_body = plain.read()
    assert plain.headers.get("Content-Encoding") is None

    request = urllib.request.Request(url, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.headers["Content-Encoding"] == encoding
        assert "accept-encoding" in response.headers["Vary"].lower()
        cache_control = response.headers["Cache-Control"]
        assert "immutable" in cache_control
        assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= 365 * 24 * 3600
        body = response.read()
    assert len(body) < len(plain_body)
    decoded = gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body)
    assert decoded == plain_body


def test_admin_login_with_printed_credentials(running_site):
    base, username, password = running_site
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(base + "/admin/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(
        base + "/admin/login/", data=data, headers={"Referer": base + "/admin/login/"}
    )
    with opener.open(request, timeout=10) as response:
        assert response.status == 200
        assert response.url.rstrip("/").endswith("/admin")
        assert "Dashboard" in response.read().decode() or "Sign out" in response.read().decode()


def memory_kb(pid: int) -> dict[str, int]:
    """The kB figures of /proc/<pid>/smaps_rollup (Rss, Pss, Shared_Clean, Private_Dirty, …)."""
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        figures[name.rstrip(":")] = int(value)
    return figures


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps_rollup"), reason="needs Linux's /proc")
def test_workers_share_the_application_the_master_loaded(production_site):
    """The master loads the site before forking: each worker shares most of its memory with it, keeps
    only what serving adds to itself, and inherits no open database file or connection."""
    base, master = production_site
    for path in ("/", "/cookie-policy/", "/privacy-policy/", "/cookie-policy/versions/"):
        for _ in range(4):  # reach both workers
            assert urllib.request.urlopen(base + path, timeout=10).status == 200
    workers = [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    assert len(workers) == 2
    for worker in workers:
        figures = memory_kb(worker)
        shared = figures["Shared_Clean"] + figures["Shared_Dirty"]
        private = figures["Private_Clean"] + figures["Private_Dirty"]
        # Without loading in the master, only shared libraries are shared: about a quarter of a worker.
        assert shared > private, figures
    inherited = [os.readlink(f"/proc/{master}/fd/{fd}") for fd in os.listdir(f"/proc/{master}/fd")]
    assert not [target for target in inherited if "db.sqlite3" in target], inherited
