"""Each URL is one language: the default unprefixed, the others under /<code>/, linked by hreflang."""

import re

import pytest

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import languages_from_env

from .translating import translate

pytestmark = pytest.mark.django_db


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_default_language_keeps_its_urls_with_no_language_negotiation(client, cookie_policy):
    response = client.get("/cookie-policy/", headers={"accept-language": "de"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert response["Content-Language"] == "en"
    assert "accept-language" not in response.get("Vary", "").lower()
    assert alternates(html) == {}, "no hreflang links while the page has no translation"
    assert "language-switcher" not in html


def test_a_translation_lives_under_its_prefix_and_both_link_each_other(client, cookie_policy):
    german = translate(cookie_policy, "de", "Cookie-Richtlinie")
    response = client.get("/de/cookie-policy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in html
    assert "Cookie-Richtlinie" in html
    assert german.url == "/de/cookie-policy/"
    expected = {
        "en": "http://testserver/cookie-policy/",
        "de": "http://testserver/de/cookie-policy/",
        "x-default": "http://testserver/cookie-policy/",
    }
    assert alternates(html) == expected
    english = client.get("/cookie-policy/").content.decode()
    assert alternates(english) == expected
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert '<a href="/cookie-policy/" hreflang="en" lang="en">English</a>' in switcher
    assert '<a href="/de/cookie-policy/" hreflang="de" lang="de" aria-current="page">Deutsch</a>' in switcher
    # A sub-route has no translated twin to point to.
    assert alternates(client.get("/de/cookie-policy/versions/").content.decode()) == {}


def test_navigation_lists_the_pages_of_the_urls_language(client, cookie_policy):
    translate(cookie_policy, "de", "Cookie-Richtlinie")
    navigation = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
    german = navigation.search(client.get("/de/cookie-policy/").content.decode()).group(0)
    english = navigation.search(client.get("/cookie-policy/").content.decode()).group(0)
    assert 'href="/de/cookie-policy/"' in german and "Cookie-Richtlinie" in german
    assert 'href="/cookie-policy/"' in english and "Cookie-Richtlinie" not in english


def test_unknown_or_unconfigured_prefixes_are_not_found(client, cookie_policy):
    assert client.get("/xx/cookie-policy/").status_code == 404
    assert client.get("/de/no-such-page/").status_code == 404
    assert client.get("/es/cookie-policy/").status_code == 404  # a real language, not configured


def test_right_to_left_language_sets_dir(client, cookie_policy, settings):
    from wagtail.models import Locale

    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    Locale.objects.get_or_create(language_code="ar")
    translate(cookie_policy, "ar", "سياسة ملفات تعريف الارتباط")
    html = client.get("/ar/cookie-policy/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("en,xx", "unknown language codes ['xx']"),
        ("en,de,en", "names a language twice"),
        (" , ", "at least one language code"),
    ],
)
def test_site_languages_setting_fails_with_one_sentence(monkeypatch, value, message):
    monkeypatch.setenv("SITE_LANGUAGES", value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        languages_from_env("SITE_LANGUAGES", ["en"])


def test_site_languages_default_first_with_local_names(monkeypatch):
    monkeypatch.setenv("SITE_LANGUAGES", "fr, DE")
    assert languages_from_env("SITE_LANGUAGES", ["en"]) == [("fr", "français"), ("de", "Deutsch")]
