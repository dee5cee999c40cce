"""The visitors' banner (its dialog lists every published cookie) is rendered once per site
generation and language, and never outlives what it shows."""

from __future__ import annotations

import re

from django.test.signals import template_rendered

from consent.models import ConsentSettings
from cookie_registry.models import Cookie, CookieCategory


def banner_dialog(html: str) -> str:
    match = re.search(r'<dialog class="cd" id="consent-dialog".*?</dialog>', html, re.S)
    assert match, "the page carries the preferences dialog"
    return match.group(0)


def test_the_banner_follows_registry_and_settings_changes(client, sized_registry_site, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request renders the page
    sized_registry_site(cookies=10, versions=1)
    assert "_fresh_tag" not in banner_dialog(client.get("/").content.decode())
    assert "_fresh_tag" not in banner_dialog(client.get("/cookie-policy/").content.decode())

    analytics = CookieCategory.objects.get(key="analytics")
    analytics.cookies.add(Cookie(name="_fresh_tag", purpose="Counts visits.", party="first"))
    analytics.save_revision().publish()
    assert "<code>_fresh_<wbr>tag</code>" in banner_dialog(client.get("/").content.decode())

    consent_settings = ConsentSettings.load()
    consent_settings.banner_heading = "Renamed banner heading"
    consent_settings.save()
    assert "Renamed banner heading" in client.get("/cookie-policy/").content.decode()


def test_the_banner_is_rendered_once_until_something_changes(client, sized_registry_site, settings):
    settings.PAGE_CACHE_ENABLED = False
    sized_registry_site(cookies=10, versions=1)
    rendered: list[str] = []

    def record(sender: object, template: object, **kwargs: object) -> None:
        rendered.append(getattr(template, "name", ""))

    template_rendered.connect(record)
    try:
        pages = [client.get(path).content for path in ("/", "/cookie-policy/", "/privacy-policy/", "/")]
    finally:
        template_rendered.disconnect(record)
    assert all(b'id="consent-banner"' in page for page in pages)
    assert rendered.count("consent/banner.html") <= 1
