"""`make run`'s steps on a fresh database, then the real gunicorn serving over HTTP."""

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from .helpers import PROJECT_ROOT, free_port, manage, project_env

pytestmark = pytest.mark.slow


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
        pytest.fail("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
    yield base, match.group(1), match.group(2)
    server.terminate()
    server.wait(timeout=20)


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


def test_gunicorn_serves_hashed_static_files_with_compression(running_site):
    base, _, _ = running_site
    html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', html).group(1)
    request = urllib.request.Request(base + stylesheet, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")


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
