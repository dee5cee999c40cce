"""A provider unpublished after its category went live: visitors see its name only, as plain text.

Why the name stays: see ``cookie_registry.snapshot._cookie``.
"""

from __future__ import annotations

import json
import re

import pytest

from cookie_registry.models import Provider

pytestmark = pytest.mark.django_db

GOOGLE_POLICY = "policies.google.com"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def provider_unpublished(registry, cookie_policy_page):
    Provider.objects.get(name="Google").unpublish()


def test_before_unpublishing_the_provider_is_linked(client, registry, cookie_policy_page):
    assert GOOGLE_POLICY in client.get("/cookie-policy/").content.decode()


def test_policy_tables_and_banner_show_the_name_without_the_providers_details(client, provider_unpublished):
    html = client.get("/cookie-policy/").content.decode()
    assert GOOGLE_POLICY not in html  # no link anywhere: cookie rows, providers table, banner
    body = re.search(r'<div class="policy__body">.*</article>', html, flags=re.S)
    assert body is not None
    assert 'data-label="Provider">Google' in body[0]  # the cookie row names it, as plain text
    assert "Google privacy policy" not in html  # and the providers table leaves it out
    assert "<dt>Provider</dt><dd>Google</dd>" in html  # the banner's details name it, plain


def test_declaration_exports_name_the_provider_only(client, provider_unpublished):
    document = json.loads(client.get("/cookie-declaration.json").content)
    rows = {row["name"]: row for row in document["cookies"]}
    assert rows["_ga"]["provider"] == "Google"
    csv_text = client.get("/cookie-declaration.csv").content.decode()
    assert GOOGLE_POLICY not in json.dumps(document) and GOOGLE_POLICY not in csv_text


def test_unpublishing_the_provider_versions_the_policy_that_showed_its_link(
    provider_unpublished, cookie_policy_page
):
    versions = list(cookie_policy_page.versions.order_by("number"))
    assert len(versions) == 2
    assert GOOGLE_POLICY in versions[0].body_html and GOOGLE_POLICY not in versions[1].body_html
