"""What a visitor downloads besides the HTML: small, first-party, no fonts, cacheable forever."""

import gzip
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import pytest

from tests.operations.helpers import PRODUCTION_SECRET, PROJECT_ROOT, project_env
from tests.page_cache.conftest import small_site  # noqa: F401 - the fixture, shared

ASSET_BUDGET_GZIPPED = 12 * 1024
POLICY_PAGES = ["/privacy-policy/", "/cookie-policy/"]
NON_EXECUTED_SCRIPT_TYPES = {"text/plain", "application/json", "application/ld+json"}


class AssetCollector(HTMLParser):
    """Every stylesheet and script a browser fetches for the page (gated scripts excepted)."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.other_links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link":
            rel = (attributes.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                self.stylesheets.append(attributes["href"])
            else:
                self.other_links.append(attributes)
        elif (
            tag == "script"
            and attributes.get("src")
            and (attributes.get("type") or "").lower() not in NON_EXECUTED_SCRIPT_TYPES
        ):
            self.scripts.append(attributes)


def collect(html: str) -> AssetCollector:
    collector = AssetCollector()
    collector.feed(html)
    return collector


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("path", POLICY_PAGES)
def test_all_css_and_js_of_a_policy_page_fit_in_12_kb_gzipped(client, small_site, path):  # noqa: F811
    assets = collect(client.get(path).content.decode())
    urls = assets.stylesheets + [script["src"] for script in assets.scripts]
    assert len(urls) >= 3, urls  # site, banner and policy styles and the banner's script at least
    sizes = {url: len(gzip.compress(fetch(client, url), compresslevel=9)) for url in urls}
    total = sum(sizes.values())
    assert total < ASSET_BUDGET_GZIPPED, f"{total} bytes gzipped: {sizes}"


@pytest.mark.parametrize("path", POLICY_PAGES)
def test_policy_pages_make_no_third_party_requests_and_use_no_web_fonts(client, small_site, path):  # noqa: F811
    html = client.get(path).content.decode()
    assets = collect(html)
    for url in assets.stylesheets + [script["src"] for script in assets.scripts]:
        assert url.startswith("/static/"), f"{url} is not served by this site"
    for link in assets.other_links:  # no preconnect/preload to another origin either
        if {"preconnect", "dns-prefetch", "preload", "modulepreload"} & set((link.get("rel") or "").split()):
            assert (link.get("href") or "").startswith("/"), link
    assert "fonts.googleapis" not in html and "@font-face" not in html
    for url in assets.stylesheets:
        css = fetch(client, url).decode()
        assert "@font-face" not in css and "@import" not in css, url
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), f"{url} loads something from elsewhere"


@pytest.fixture(scope="module")
def production_static_root(tmp_path_factory):
    """collectstatic as a deploy runs it: production settings, into an empty directory."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = project_env(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=PRODUCTION_SECRET,
        STATIC_ROOT=str(static_root),
        DATABASE_URL=f"sqlite:///{static_root}/unused.sqlite3",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return static_root, env


@pytest.mark.slow
def test_production_static_files_get_hashed_names_and_gzip_and_brotli_copies(production_static_root):
    static_root, _ = production_static_root
    for original in ["css/site.css", "consent/banner.js", "consent/banner.css", "policy_pages/policy.css"]:
        folder, name = original.rsplit("/", 1)
        stem, extension = name.rsplit(".", 1)
        hashed = [
            path
            for path in (static_root / folder).glob(f"{stem}.*.{extension}")
            if re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", path.name)
        ]
        assert len(hashed) == 1, f"no hashed copy of {original}"
        assert hashed[0].with_name(hashed[0].name + ".gz").exists(), f"{hashed[0].name}.gz"
        assert hashed[0].with_name(hashed[0].name + ".br").exists(), f"{hashed[0].name}.br"


@pytest.mark.slow
def test_whitenoise_serves_hashed_files_as_immutable_for_ten_years(production_static_root):
    """A fresh process with production settings, as gunicorn would start it, serving the hashed CSS."""
    _, env = production_static_root
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.templatetags.static import static
        from django.test import Client
        url = static("css/site.css")
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br", secure=True)
        print(url)
        print(response.status_code)
        print(response["Cache-Control"])
        print(response.get("Content-Encoding", ""))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env={**env, "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    url, status, cache_control, encoding = result.stdout.strip().splitlines()
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url), url
    assert status == "200"
    assert cache_control == "max-age=315360000, public, immutable"
    assert encoding == "br"
