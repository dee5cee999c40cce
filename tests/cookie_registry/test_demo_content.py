"""The demo registry a newcomer sees: realistic, published, and safe to load twice."""

from __future__ import annotations

import re

import pytest

from django.conf import settings

from wagtail.models import Revision

from cookie_registry import demo_content
from cookie_registry.models import Cookie, CookieCategory, Provider, RegistryVersion, RetentionRule
from cookie_registry.templatetags.registry_tags import wbr

pytestmark = pytest.mark.django_db


def test_demo_registry_is_published_versioned_and_idempotent():
    demo_content.load()
    counts = (
        CookieCategory.objects.count(),
        Cookie.objects.count(),
        Provider.objects.count(),
        RetentionRule.objects.count(),
        Revision.objects.count(),
    )
    demo_content.load()
    assert counts == (
        CookieCategory.objects.count(),
        Cookie.objects.count(),
        Provider.objects.count(),
        RetentionRule.objects.count(),
        Revision.objects.count(),
    )
    assert list(CookieCategory.objects.live().values_list("key", flat=True)) == [
        "necessary",
        "preferences",
        "analytics",
        "marketing",
        "social_media",
    ]
    assert not CookieCategory.objects.filter(live=False).exists()
    assert list(RegistryVersion.objects.values_list("number", flat=True)) == [1]
    necessary = CookieCategory.objects.get(key="necessary")
    assert necessary.is_essential and necessary.default_enabled
    consent_cookie = necessary.cookies.get(name=settings.CONSENT_COOKIE_NAME)
    assert consent_cookie.duration_display == "6 months"
    assert not CookieCategory.objects.filter(is_essential=False, default_enabled=True).exists()
    assert Cookie.objects.get(name="_ga_*").matches("_ga_ABC123")
    assert not Cookie.objects.get(name="_ga").matches("_gat")
    assert RetentionRule.objects.live().count() == 4


def test_demo_cookie_policy_lists_the_demo_cookies(client, cookie_policy_page, settings):
    settings.PAGE_CACHE_ENABLED = False
    demo_content.load()
    html = client.get("/cookie-policy/").content.decode()
    body = re.search(r'<div class="policy__body">.*</article>', html, flags=re.S)[0]
    for name in ("sessionid", "csrftoken", settings.CONSENT_COOKIE_NAME, "_ga_*", "_fbp", "li_gc", "lidc"):
        assert f"<code>{wbr(name)}</code>" in body  # names wrap after "_" on phones
    assert (
        '<a href="https://www.linkedin.com/legal/privacy-policy" rel="noopener">LinkedIn privacy policy</a>'
        in body
    )
    assert "6 years after the last transaction" in body
