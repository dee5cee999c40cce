"""Previews may be framed by the admin only, and no gated third-party code reaches staff.

Previews, the admin and any page rendered for a signed-in staff user carry no gated scripts, no
banner script and no registry script sources in their CSP; they say so where the banner would be.
"""

from __future__ import annotations

import re

import pytest

from django.test import override_settings
from django.urls import reverse

from consent.banner_data import csp_hash
from cookie_registry.models import ThirdPartyScript
from policy_pages.models import PolicyPage

GATED_SCRIPT = re.compile(r'<script type="text/plain" data-category=')
STAFF_NOTE = "third-party scripts and embedded content are switched off"
PREVIEW_NOTE = "third-party scripts and embedded content never run in previews"


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def inline_hash(demo_site) -> str:
    script = ThirdPartyScript.objects.live().exclude(inline_code="").first()
    assert script is not None, "the demo registry publishes an inline script"
    return csp_hash(script.inline_code)


@pytest.fixture
def cookie_policy(demo_site) -> PolicyPage:
    return PolicyPage.objects.live().get(slug="cookie-policy")


def test_public_pages_keep_frame_ancestors_none_and_the_banner(client, cookie_policy, inline_hash):
    response = client.get(cookie_policy.url)

    html = response.content.decode()
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]
    assert inline_hash in csp_directives(response)["script-src"]
    assert GATED_SCRIPT.search(html)
    assert "consent/banner.js" in html


def test_a_page_preview_may_be_framed_by_the_admin_and_runs_nothing_third_party(
    admin_client, cookie_policy, inline_hash
):
    response = admin_client.get(f"/admin/pages/{cookie_policy.pk}/view_draft/")

    assert response.status_code == 200
    html = response.content.decode()
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'self'"]
    assert inline_hash not in directives["script-src"]
    assert not GATED_SCRIPT.search(html)
    assert "consent/banner.js" not in html and "consent-config" not in html
    assert PREVIEW_NOTE in html


def test_the_live_preview_panel_endpoint_too(admin_client, cookie_policy, inline_hash):
    from tests.policy_pages.conftest import edit_form_data

    preview_url = f"/admin/pages/{cookie_policy.pk}/edit/preview/"
    assert admin_client.post(preview_url, edit_form_data(cookie_policy)).json()["is_valid"] is True
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(response)["frame-ancestors"] == ["'self'"]
    assert not GATED_SCRIPT.search(response.content.decode())


def test_a_third_party_script_preview_never_runs_it(admin_client, inline_hash):
    script = ThirdPartyScript.objects.live().exclude(inline_code="").first()
    preview_url = reverse(
        "wagtailsnippets_cookie_registry_thirdpartyscript:preview_on_edit", args=[script.pk]
    )
    fields = {
        "name": script.name,
        "category": script.category_id,
        "src": "",
        "inline_code": script.inline_code,
        "placement": script.placement,
        "sort_order": 0,
    }
    assert admin_client.post(preview_url, fields).json()["is_valid"] is True
    response = admin_client.get(preview_url)

    assert response.status_code == 200
    html = response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp_directives(response)["frame-ancestors"] == ["'self'"]
    assert inline_hash not in csp_directives(response)["script-src"]
    assert not GATED_SCRIPT.search(html)
    assert PREVIEW_NOTE in html


@pytest.mark.parametrize("page_cache", [True, False])
def test_signed_in_staff_get_no_gated_code_on_public_pages(
    client, settings, django_user_model, cookie_policy, inline_hash, page_cache
):
    settings.PAGE_CACHE_ENABLED = page_cache
    client.get(cookie_policy.url)  # an anonymous visit first: a cached copy must not reach staff
    editor = django_user_model.objects.create_user("eddie", "e@example.org", "pw", is_staff=False)
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    client.cookies["cookie_consent"] = "accepted-earlier"

    response = client.get(cookie_policy.url)

    html = response.content.decode()
    assert not GATED_SCRIPT.search(html)
    assert "consent/banner.js" not in html
    assert STAFF_NOTE in html
    assert inline_hash not in csp_directives(response)["script-src"]
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]

    client.logout()
    anonymous = client.get(cookie_policy.url).content.decode()
    assert GATED_SCRIPT.search(anonymous) and STAFF_NOTE not in anonymous


def test_signed_in_users_without_admin_access_see_the_normal_banner(client, django_user_model, cookie_policy):
    visitor = django_user_model.objects.create_user("visitor", "v@example.org", "pw")
    client.force_login(visitor)

    html = client.get(cookie_policy.url).content.decode()

    assert GATED_SCRIPT.search(html)
    assert STAFF_NOTE not in html


@override_settings(ADMIN_HOST="admin.example.org", ALLOWED_HOSTS=["www.example.org", "admin.example.org"])
def test_with_an_admin_host_the_admin_is_served_there_only(client, demo_site):
    redirected = client.get("/admin/login/?next=/admin/", headers={"host": "www.example.org"})
    assert redirected.status_code == 302
    assert redirected["Location"] == "http://admin.example.org/admin/login/?next=/admin/"

    assert client.get("/admin/login/", headers={"host": "admin.example.org"}).status_code == 200
    assert client.get("/", headers={"host": "admin.example.org"}).status_code == 404
    assert client.get("/healthz/", headers={"host": "admin.example.org"}).status_code == 200
    assert client.get("/", headers={"host": "www.example.org"}).status_code == 200


@override_settings(ADMIN_HOST="admin.example.org", ALLOWED_HOSTS=["www.example.org", "admin.example.org"])
def test_with_an_admin_host_previews_still_render(client, admin_user, cookie_policy):
    client.force_login(admin_user)
    script = ThirdPartyScript.objects.live().first()
    preview_url = reverse(
        "wagtailsnippets_cookie_registry_thirdpartyscript:preview_on_edit", args=[script.pk]
    )
    fields = {
        "name": script.name,
        "category": script.category_id,
        "src": script.src,
        "inline_code": script.inline_code,
        "placement": script.placement,
        "sort_order": 0,
    }
    host = {"host": "admin.example.org"}
    assert client.post(preview_url, fields, headers=host).json()["is_valid"] is True
    snippet = client.get(preview_url, headers=host)
    page = client.get(f"/admin/pages/{cookie_policy.pk}/view_draft/", headers=host)

    assert snippet.status_code == page.status_code == 200
    assert PREVIEW_NOTE in snippet.content.decode() and PREVIEW_NOTE in page.content.decode()


def test_without_an_admin_host_admin_and_site_share_the_host(client, demo_site):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/").status_code == 200
