"""The banner as the server renders it: identical for everyone, inert tags, strict CSP, size budget."""

import gzip
import json
import re

import pytest

from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.banner_data import csp_hash, script_text_for_html
from cookie_registry.models import CookieCategory, ThirdPartyScript
from site_data.generation import forget_shared

BANNER_FILES = ["consent/consent-mode.js", "consent/banner.js", "consent/banner.css"]
BUDGET_BYTES = 4096


def test_banner_js_and_css_weigh_under_4_kb_gzipped():
    sizes = {}
    for name in BANNER_FILES:
        path = finders.find(name)
        assert path, f"{name} not found by the static finders"
        with open(path, "rb") as handle:
            sizes[name] = len(gzip.compress(handle.read(), compresslevel=9))
    total = sum(sizes.values())
    print(f"banner assets gzipped: {sizes} total={total} bytes")
    assert total < BUDGET_BYTES, sizes


@pytest.fixture(autouse=True)
def render_every_request(settings):
    """The page cache would hide what the templates do; these tests look at rendering."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def site(demo_site, client):
    return client


def config_of(html: str) -> dict:
    match = re.search(r'<script id="consent-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "consent config block missing"
    return json.loads(match.group(1))


def test_every_page_carries_hidden_banner_config_and_inert_tags(site):
    response = site.get("/")
    html = response.content.decode()
    assert re.search(r'<aside[^>]*id="consent-banner"[^>]*hidden', html)
    assert '<dialog class="cd" id="consent-dialog"' in html
    assert '<script type="text/plain" data-category="analytics" data-name="Demo analytics">' in html
    assert 'data-category="marketing"' in html
    # No executable inline script: every <script> without src is a JSON block or inert text/plain.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert 'type="application/json"' in tag or 'type="text/plain"' in tag, tag
    assert " style=" not in html and " onclick=" not in html

    config = config_of(html)
    assert config["endpoint"] == "/consent/"
    assert config["cookieName"] == "cookie_consent"
    assert isinstance(config["registryVersion"], int)
    categories = {category["key"]: category for category in config["categories"]}
    assert set(categories) >= {"necessary", "preferences", "analytics", "marketing", "social_media"}
    assert categories["necessary"]["essential"] is True
    assert categories["marketing"]["gpcOff"] is True
    assert categories["analytics"]["gpcOff"] is False
    analytics_names = {cookie["name"] for cookie in categories["analytics"]["cookies"]}
    assert {"_ga", "_ga_*"} <= analytics_names
    # Third-party cookies cannot be deleted by the page, so they are not listed for deletion.
    assert categories["social_media"]["cookies"] == []


def test_page_is_identical_with_and_without_a_consent_cookie(site):
    first = site.get("/").content
    site.cookies["cookie_consent"] = "1|abcdefghijklmnop1234|1|1700000000|analytics:sig"
    second = site.get("/").content
    assert first == second


def test_public_pages_send_a_strict_csp_with_hashes_of_published_inline_tags(site):
    csp = site.get("/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    for script in ThirdPartyScript.objects.live():
        assert csp_hash(script_text_for_html(script.inline_code)) in directives["script-src"]


def test_admin_has_no_csp_header(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_external_script_origin_is_allowed_once_published(client):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    analytics = CookieCategory.objects.get(key="analytics")
    script = ThirdPartyScript.objects.create(
        name="Tag manager", category=analytics, src="https://tags.example.com:8443/gtm.js?id=1"
    )
    script.save_revision().publish()
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' https://tags.example.com:8443" in csp
    assert 'data-src="https://tags.example.com:8443/gtm.js?id=1"' in response.content.decode()


@pytest.mark.django_db
def test_inline_code_published_after_pages_were_served_is_allowed_at_once(client):
    """The CSP sources are shared per worker; a publish (in any worker) retires them at once."""
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    client.get("/")  # the worker now holds the sources and the gated scripts
    code = "window.lateTag = true;"
    script = ThirdPartyScript.objects.create(
        name="Late tag", category=CookieCategory.objects.get(key="analytics"), inline_code=code, live=False
    )
    script.save_revision().publish()
    response = client.get("/")
    assert csp_hash(script_text_for_html(code)) in response["Content-Security-Policy"]
    assert "window.lateTag = true;" in response.content.decode()


def test_inline_code_cannot_break_out_of_its_script_element():
    text = script_text_for_html('var a = "</script><script>alert(1)</script>";\r\n<!-- x')
    assert "</script" not in text.lower() and "<!--" not in text
    assert "\r" not in text


def test_banner_queries_do_not_grow_with_the_registry(site):
    def count() -> int:
        forget_shared()  # a cold build each time: what a new generation costs
        with CaptureQueriesContext(connection) as queries:
            assert site.get("/?q=1").status_code == 200
        return len(queries)

    before = count()
    assert before > 0
    analytics = CookieCategory.objects.get(key="analytics")
    for number in range(30):
        analytics.cookies.create(name=f"_extra_{number}", purpose="Demo", party="first")
    for number in range(10):
        ThirdPartyScript.objects.create(
            name=f"Extra {number}", category=analytics, inline_code=f"var x{number};"
        )
    assert count() == before
    print(f"home page with the banner: {before} queries")


def test_embed_tag_keeps_third_party_content_inert(site):
    from django.template import Context, Template

    html = Template(
        '{% load consent_tags %}{% consent_embed "social_media" %}'
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>{% endconsent_embed %}'
    ).render(Context({}))
    assert '<div class="ce" data-consent-embed="social_media">' in html
    assert re.search(r"<template><iframe [^>]+></iframe></template>", html)
    assert "Enable Social Media content" in html
    assert 'href="/cookie-policy/#social_media"' in html


def test_preferences_form_partial_for_the_no_js_page(site):
    from django.template.loader import render_to_string

    from cookie_registry.services import published_registry

    html = render_to_string(
        "consent/includes/preferences_form.html",
        {"registry": published_registry(), "granted_keys": {"analytics"}, "next_url": "/cookie-policy/"},
    )
    assert '<form method="post" action="/consent/" class="prefs" data-consent-form>' in html
    assert re.search(r'name="registry_version" value="\d+"', html)
    assert '<input type="hidden" name="next" value="/cookie-policy/">' in html
    assert re.search(r'name="granted" value="analytics" checked', html)
    assert not re.search(r'name="granted" value="marketing" checked', html)
    assert 'name="granted" value="necessary"' not in html  # essential: shown, locked, never posted
    assert re.search(r'id="prefs-necessary" checked disabled', html)
    for action in ("custom", "accept_all", "reject_all"):
        assert f'name="action" value="{action}"' in html


def test_the_two_banner_tags_cost_a_fixed_number_of_queries(site, rf):
    from django.template import RequestContext, Template

    template = Template("{% load consent_tags %}{% consent_head %}{% consent_banner %}")
    forget_shared()  # loading the demo (which renders the policies) already built the snapshot
    with CaptureQueriesContext(connection) as queries:
        html = template.render(RequestContext(rf.get("/")))
    assert "consent-config" in html and 'id="consent-banner"' in html
    # registry (categories, cookies, providers, retention rules, scripts, recent versions),
    # consent settings, the two policy pages they link to (one query) and the latest material
    # policy versions: built once for the worker, shared by both tags.
    assert len(queries) == 9, [query["sql"] for query in queries]
    with CaptureQueriesContext(connection) as queries:
        assert template.render(RequestContext(rf.get("/"))) == html
    assert len(queries) == 0, "the next page reuses the worker's copy"


def test_inline_style_tag_adds_its_hash_to_the_policy(rf, settings):
    """A template's inline <style> is allowed by hash, so it works under style-src 'self'."""
    from django.http import HttpResponse
    from django.template import RequestContext, Template

    from content_security.csp import RegistryAwareCSPMiddleware

    request = rf.get("/print-test/")
    css = '@page { @top-left { content: "Policy v2"; } }</style><script>'
    html = Template(
        '{% load consent_tags %}{% csp_inline_style media="print" %}' + css + "{% endcsp_inline_style %}"
    ).render(RequestContext(request))
    assert html.startswith('<style media="print">@page') and html.count("</style>") == 1
    emitted = html.removeprefix('<style media="print">').removesuffix("</style>")

    middleware = RegistryAwareCSPMiddleware(lambda req: HttpResponse(html))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("content_security.csp.script_csp_sources", lambda: {})
        response = middleware(request)
    style_src = next(p for p in response["Content-Security-Policy"].split("; ") if p.startswith("style-src"))
    assert style_src == f"style-src 'self' {csp_hash(emitted)}"


def test_policy_links_follow_the_pages_chosen_in_consent_settings(site, client):
    from consent.models import ConsentSettings
    from policy_pages.models import PolicyPage

    html = client.get("/").content.decode()
    assert 'href="/cookie-policy/">cookie policy</a>' in html
    assert 'href="/privacy-policy/">privacy policy</a>' in html

    privacy = PolicyPage.objects.get(slug="privacy-policy")
    privacy.slug = "privacy"
    privacy.save_revision().publish()
    consent_settings = ConsentSettings.load()
    consent_settings.cookie_policy_page = None
    consent_settings.save()
    html = client.get("/").content.decode()
    assert 'href="/privacy/">privacy policy</a>' in html, "a moved page is found by reference"
    assert "cookie policy</a>" not in html and "/cookie-policy/#" not in html, "no page chosen: no link"
