"""The demo site in German and French: its own URLs, its language, and hreflang links between them."""

from __future__ import annotations

import re

import pytest

from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

# English URL, German URL, French URL of each demo page.
PAGES = {
    "home": ("/", "/de/", "/fr/"),
    "privacy-policy": (
        "/privacy-policy/",
        "/de/datenschutzerklaerung/",
        "/fr/politique-de-confidentialite/",
    ),
    "cookie-policy": ("/cookie-policy/", "/de/cookie-richtlinie/", "/fr/politique-cookies/"),
}
LANGUAGE_CODES = ("en", "de", "fr")
# Headings (or the title) each translated page must show.
HEADINGS = {
    "/de/": ["Datenschutz bei Northwind", "Datenschutzerklärung", "Cookie-Richtlinie"],
    "/fr/": [
        "La confidentialité chez Northwind",
        "Politique de confidentialité",
        "Politique relative aux cookies",
    ],
    "/de/datenschutzerklaerung/": [
        "Datenschutzerklärung",
        "Welche Daten wir erheben",
        "Warum wir Ihre Daten verarbeiten dürfen",
        "Ihre Rechte",
        "Datenübertragbarkeit",
        "Kontakt",
    ],
    "/fr/politique-de-confidentialite/": [
        "Politique de confidentialité",
        "Les données que nous collectons",
        "Durée de conservation des données",
        "Vos droits",
        "Portabilité",
        "Nous contacter",
    ],
    "/de/cookie-richtlinie/": [
        "Cookie-Richtlinie",
        "Was Cookies sind",
        "Cookies von Drittanbietern",
        "Einwilligung ändern oder widerrufen",
    ],
    "/fr/politique-cookies/": [
        "Politique relative aux cookies",
        "Qu’est-ce qu’un cookie\u00a0?",
        "Cookies tiers",
        "Modifier ou retirer votre consentement",
    ],
}


@pytest.fixture(autouse=True)
def render_every_request(settings):
    settings.PAGE_CACHE_ENABLED = False


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def counts() -> tuple[int, ...]:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, Revision

    from policy_pages.models import PolicyVersion

    return (
        Page.objects.count(),
        Revision.objects.count(),
        PolicyVersion.objects.count(),
        Redirect.objects.count(),
    )


@pytest.mark.parametrize("path", list(HEADINGS))
def test_translated_pages_answer_in_their_language(client, demo_site, path):
    language = path.split("/")[1]
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="ltr">' in html
    assert response["Content-Language"] == language
    for text in HEADINGS[path]:
        assert text in html, text
    if path.count("/") > 2:  # a policy: its own table of contents, anchors as in English
        assert 'href="#your-rights"' in html or 'href="#withdraw"' in html
        assert "Privacy Policy" not in html and "Your rights" not in html


@pytest.mark.parametrize("page", list(PAGES))
def test_each_language_links_the_other_two(client, demo_site, page):
    urls = PAGES[page]
    expected = {code: f"http://testserver{url}" for code, url in zip(LANGUAGE_CODES, urls, strict=True)}
    expected["x-default"] = expected["en"]
    for code, url in zip(LANGUAGE_CODES, urls, strict=True):
        html = client.get(url).content.decode()
        assert alternates(html) == expected, url
        switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
        assert f'<a href="{url}" hreflang="{code}" lang="{code}" aria-current="page">' in switcher


def test_english_urls_are_unchanged(client, demo_site):
    from policy_pages.models import PolicyPage

    for path, heading in [
        ("/", "Privacy at Northwind"),
        ("/privacy-policy/", "Your rights"),
        ("/cookie-policy/", "Cookies on this site"),
    ]:
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="en" dir="ltr">' in html and heading in html
    english = PolicyPage.objects.filter(locale__language_code="en").order_by("path")
    assert [page.url for page in english] == ["/privacy-policy/", "/cookie-policy/"]
    assert [page.title for page in english] == ["Privacy Policy", "Cookie Policy"]


def test_translated_home_pages_list_their_own_policies(client, demo_site):
    german = client.get("/de/").content.decode()
    assert 'href="/de/datenschutzerklaerung/"' in german and 'href="/de/cookie-richtlinie/"' in german
    assert 'href="/privacy-policy/"' not in re.search(r"<main.*?</main>", german, re.S).group(0)
    french = client.get("/fr/").content.decode()
    assert 'href="/fr/politique-de-confidentialite/"' in french and 'href="/fr/politique-cookies/"' in french


def test_links_inside_translated_policies_lead_to_pages_in_the_same_language(client, demo_site):
    german = client.get("/de/datenschutzerklaerung/").content.decode()
    assert '<a href="/de/cookie-richtlinie/">Cookie-Richtlinie</a>' in german
    french = client.get("/fr/politique-cookies/").content.decode()
    assert '<a href="/fr/cookie-settings/">Paramètres des cookies</a>' in french
    for path in ("/de/cookie-settings/", "/fr/cookie-settings/"):
        assert client.get(path).status_code == 200


def test_each_translated_policy_has_its_own_published_version(client, demo_site):
    from policy_pages.models import PolicyPage

    for english in PolicyPage.objects.filter(locale__language_code="en"):
        current = english.versions.order_by("-number").first()
        for translation in english.get_translations().select_related("locale"):
            translation = translation.specific
            assert translation.live and not translation.has_unpublished_changes
            version = translation.versions.get()  # exactly one
            assert (version.number, version.title) == (1, translation.title)
            assert version.effective_date == current.effective_date
            assert not version.is_material_change
            assert (
                version.change_summary
                == {"de": "Erste veröffentlichte Fassung.", "fr": "Première version publiée."}[
                    translation.locale.language_code
                ]
            )
            assert "Version 1" in client.get(translation.url + "versions/").content.decode()


def test_loading_twice_creates_nothing_new(demo_site):
    from wagtail.models import Page

    before = counts()
    assert Page.objects.filter(depth__gt=1).count() == 9  # three pages in three languages
    call_command("load_demo_content", verbosity=0)
    assert counts() == before


def test_only_configured_languages_are_created(db):
    from wagtail.models import Page

    english_and_french = [("en", "English"), ("fr", "français")]
    with override_settings(LANGUAGES=english_and_french, WAGTAIL_CONTENT_LANGUAGES=english_and_french):
        call_command("load_demo_content", verbosity=0)
        call_command("load_demo_content", verbosity=0)
    languages = Page.objects.filter(depth__gt=1).values_list("locale__language_code", flat=True)
    assert sorted(languages) == ["en"] * 3 + ["fr"] * 3


def test_translations_are_added_to_an_existing_english_site(db):
    """An install that loaded the demo before translations existed gets them on the next run."""
    from wagtail.models import Page

    english_only = [("en", "English")]
    with override_settings(LANGUAGES=english_only, WAGTAIL_CONTENT_LANGUAGES=english_only):
        call_command("load_demo_content", verbosity=0)
    english = set(Page.objects.values_list("pk", flat=True))
    call_command("load_demo_content", verbosity=0)
    assert Page.objects.filter(pk__in=english).count() == len(english)
    added = Page.objects.exclude(pk__in=english).values_list("locale__language_code", flat=True)
    assert sorted(added) == ["de"] * 3 + ["fr"] * 3
