"""Visitors and editors in other languages, in real Chromium (issue 13)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.languages.translating import translate

from .test_admin_preview import PASSWORD, sign_in
from .test_consent_banner import BANNER, DIALOG, serious_violations

BANNER_WORDS = {
    "en": ("Your privacy choices", "Accept all", "Customize"),
    "de": ("Ihre Datenschutz-Einstellungen", "Alle akzeptieren", "Anpassen"),
    "fr": ("Vos choix en matière de confidentialité", "Tout accepter", "Personnaliser"),
}
ANALYTICS_NAME = {"en": "Analytics", "de": "Statistik", "fr": "Mesure d'audience"}


def cookie_policy_in(language: str):
    """The demo cookie policy in ``language`` (translated here if the demo has no such page)."""
    from wagtail.models import Locale

    from policy_pages.models import PolicyPage

    english = PolicyPage.objects.get(slug="cookie-policy", locale__language_code="en")
    if language == "en":
        return english
    existing = english.get_translation_or_none(Locale.objects.get(language_code=language))
    if existing is not None and existing.live:
        return existing.specific
    return translate(
        english, language, {"de": "Cookie-Richtlinie", "fr": "Politique relative aux cookies"}[language]
    )


def test_a_german_visitor_reads_german_and_their_record_says_so(site_url, page):
    from consent.models import ConsentRecord

    german = cookie_policy_in("de")
    page.goto(site_url + german.url)
    assert page.locator("html").get_attribute("lang") == "de"
    banner = page.locator(BANNER)
    expect(banner.get_by_role("heading", name=BANNER_WORDS["de"][0])).to_be_visible()
    table_heading = page.locator("main").get_by_role("heading", name="Statistik")
    expect(table_heading.first).to_be_visible()
    assert "Unterscheidet Browser voneinander" in page.locator("main").inner_text()

    banner.get_by_role("button", name="Alle akzeptieren", exact=True).click()
    page.wait_for_function("() => window.demoAnalyticsLoaded === true")
    record = ConsentRecord.objects.get()
    assert record.language == "de"
    languages = {version.page_id: version.language for version in record.policy_versions.all()}
    assert languages[german.pk] == "de"
    assert set(languages.values()) <= {"de", "en"}

    # Preferences dialog in German, from the footer link.
    page.locator("a[data-cookie-settings]").click()
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible")
    expect(dialog.get_by_role("checkbox", name="Statistik")).to_be_checked()


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_axe_finds_no_serious_violation_in_each_language(site_url, page, language):
    policy = cookie_policy_in(language)
    page.goto(site_url + policy.url)
    assert page.locator("html").get_attribute("lang") == language
    banner = page.locator(BANNER)
    banner.wait_for(state="visible")
    heading, _accept, customize = BANNER_WORDS[language]
    expect(banner.get_by_role("heading", name=heading)).to_be_visible()
    assert serious_violations(page) == []
    banner.get_by_role("button", name=customize, exact=True).click()
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible")
    expect(dialog.get_by_role("checkbox", name=ANALYTICS_NAME[language])).to_be_visible()
    assert serious_violations(page) == []


def test_an_editor_translates_a_new_cookie_and_the_german_table_shows_it(site_url, context):
    from django.contrib.auth import get_user_model

    from cookie_registry.models import CookieCategory

    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    german = cookie_policy_in("de")
    analytics = CookieCategory.objects.get(key="analytics")

    editor = context.new_page()
    editor.set_default_timeout(15_000)
    sign_in(editor, site_url)
    editor.goto(f"{site_url}/admin/snippets/cookie_registry/cookiecategory/edit/{analytics.pk}/")
    editor.get_by_role("button", name=re.compile("Add cookie", re.I)).last.click()
    count = analytics.cookies.count()  # the new cookie's form is cookies-<count>
    prefix = f"cookies-{count}-"
    editor.fill(f"[name='{prefix}name']", "_clarity_demo")
    editor.fill(f"[name='{prefix}purpose']", "Records anonymised heatmaps of how pages are used.")
    editor.select_option(f"[name='{prefix}duration_unit']", "days")
    editor.fill(f"[name='{prefix}duration_value']", "30")
    editor.fill(
        f"[name='{prefix}translations__de__purpose']",
        "Zeichnet anonymisierte Heatmaps der Seitennutzung auf.",
    )
    editor.get_by_role("button", name=re.compile("More actions", re.I)).first.click()
    editor.get_by_role("button", name=re.compile("^Publish", re.I)).first.click()
    expect(editor.locator(".messages")).to_contain_text(re.compile("published", re.I))

    visitor = context.new_page()
    visitor.goto(site_url + german.url)
    row = visitor.get_by_role("row", name=re.compile(r"^_clarity_demo"))
    expect(row).to_contain_text("Zeichnet anonymisierte Heatmaps der Seitennutzung auf.")
    visitor.goto(site_url + "/cookie-policy/")
    expect(visitor.get_by_role("row", name=re.compile(r"^_clarity_demo"))).to_contain_text(
        "Records anonymised heatmaps"
    )
