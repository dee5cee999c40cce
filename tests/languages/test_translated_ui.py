"""The user interface speaks the URL's language: German under /de/, French under /fr/, English unprefixed."""

import re

import pytest

from django.utils import translation

from cookie_registry.models import DurationUnit, Party, duration_in_words

from .translating import translate

pytestmark = pytest.mark.django_db


def first(pattern: str, html: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, f"nothing matches {pattern!r}"
    return match.group(0)


def footer(html: str) -> str:
    return first(r'<footer class="site-footer">.*?</footer>', html)


def column_headers(html: str) -> list[str]:
    table = first(r'<table class="registry-table registry-table--cookies">.*?</thead>', html)
    return re.findall(r'<th scope="col">([^<]+)</th>', table)


@pytest.mark.parametrize(
    ("language", "title", "strings", "headers"),
    [
        (
            "de",
            "Cookie-Richtlinie",
            ["Zum Hauptinhalt springen", "Version 1 · gültig ab", "Versionsverlauf", "Inhalt"],
            ["Name", "Anbieter", "Zweck", "Speicherdauer", "Herkunft", "Art"],
        ),
        (
            "fr",
            "Politique relative aux cookies",
            [
                "Aller au contenu principal",
                "Version 1 · en vigueur depuis le",
                "Historique des versions",
                "Sommaire",
            ],
            ["Nom", "Fournisseur", "Finalité", "Durée", "Origine", "Type"],
        ),
    ],
)
def test_a_translated_policy_page_shows_its_languages_interface(
    client, cookie_policy, language, title, strings, headers
):
    translate(cookie_policy, language, title)
    response = client.get(f"/{language}/cookie-policy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    settings_label = {"de": "Cookie-Einstellungen", "fr": "Paramètres des cookies"}[language]
    assert f'href="/{language}/cookie-settings/" data-cookie-settings>{settings_label}</a>' in footer(html)
    assert column_headers(html) == headers
    for text in strings:
        assert text in html
    assert "Cookie Settings" not in footer(html)  # the copied body is still the editors' English
    assert "Skip to main content" not in html


def test_english_stays_english_next_to_a_translation(client, cookie_policy):
    translate(cookie_policy, "de", "Cookie-Richtlinie")
    html = client.get("/cookie-policy/").content.decode()
    assert 'href="/cookie-settings/" data-cookie-settings>Cookie Settings</a>' in footer(html)
    assert column_headers(html) == ["Name", "Provider", "Purpose", "Duration", "Party", "Type"]
    assert "Skip to main content" in html and re.search(r"Version \d+ · effective <time", html)
    assert "Cookie-Einstellungen" not in html and "Anbieter" not in html


def test_duration_party_and_storage_words_follow_the_page_language(client, cookie_policy):
    translate(cookie_policy, "de", "Cookie-Richtlinie")
    german = client.get("/de/cookie-policy/").content.decode()
    english = client.get("/cookie-policy/").content.decode()
    assert '<td data-label="Herkunft">Erstanbieter</td>' in german
    assert '<td data-label="Party">First party</td>' in english
    assert re.search(
        r'<td data-label="Speicherdauer">(Sitzung|\d+ (Tag|Tage|Monat|Monate|Jahr|Jahre))</td>', german
    )


def test_history_archive_and_compare_pages_are_translated(client, cookie_policy):
    german = translate(cookie_policy, "de", "Cookie-Richtlinie")
    german.save_revision().publish()  # a second version to compare with
    history = client.get("/de/cookie-policy/versions/").content.decode()
    assert "Cookie-Richtlinie: Versionsverlauf" in history
    assert '<th scope="col">Gültig ab</th>' in history
    archived = client.get("/de/cookie-policy/versions/1/").content.decode()
    assert "Archivierte Version, nicht aktuell." in archived
    assert "Cookie-Richtlinie · Version 1 · gültig ab" in archived  # the printed running header
    compare = client.get("/de/cookie-policy/versions/1/compare/2/").content.decode()
    assert "Zusammenfassung der Änderungen" in compare and "Hinzugefügter Text" in compare


@pytest.mark.parametrize(
    ("prefix", "heading", "choice"),
    [
        ("/de", "Cookie-Einstellungen", "Ihre aktuelle Auswahl"),
        ("/fr", "Paramètres des cookies", "Votre choix actuel"),
    ],
)
def test_cookie_settings_page_and_banner_markup(client, demo_site, prefix, heading, choice):
    html = client.get(f"{prefix}/cookie-settings/").content.decode()
    assert f"<h1>{heading}</h1>" in html and choice in html
    assert f'action="{prefix}/consent/"' in html, "the forms post to the endpoint in the same language"
    banner_error = first(r'data-error-text="[^"]+"', html).split('"')[1]
    assert (
        banner_error
        == {
            "/de": "Ihre Auswahl wurde nicht gespeichert. Bitte versuchen Sie es erneut.",
            "/fr": "Votre choix n’a pas été enregistré. Veuillez réessayer.",
        }[prefix]
    )


def test_banner_markup_is_cached_per_language(client, demo_site):
    english = client.get("/cookie-settings/").content.decode()
    german = client.get("/de/cookie-settings/").content.decode()
    assert 'aria-label="Close cookie settings"' in english
    assert 'aria-label="Cookie-Einstellungen schließen"' in german


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/consent/", "The cookie list has changed since this page was loaded"),
        ("/de/consent/", "Die Cookie-Liste hat sich geändert, seit diese Seite geladen wurde"),
        ("/fr/consent/", "La liste des cookies a changé depuis le chargement de cette page"),
    ],
)
def test_consent_endpoint_errors_speak_the_urls_language(client, demo_site, path, message):
    response = client.post(
        path,
        {"action": "reject_all", "granted": [], "registry_version": 999999},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert message in response.json()["error"]


def test_consent_error_page_without_javascript_is_translated(client, demo_site):
    response = client.post(
        "/de/consent/",
        "action=reject_all&registry_version=999999",
        content_type="application/x-www-form-urlencoded",
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "<h1>Ihre Auswahl wurde nicht gespeichert</h1>" in html
    assert "Zu den Cookie-Einstellungen" in html


def test_not_found_page_is_translated(client, demo_site):
    assert "<h1>Seite nicht gefunden</h1>" in client.get("/de/no-such-page/").content.decode()
    assert "<h1>Page introuvable</h1>" in client.get("/fr/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in client.get("/no-such-page/").content.decode()


def test_duration_words_and_choice_labels_in_each_language():
    cases = {
        "en": ("Session", "1 day", "2 years", "First party"),
        "de": ("Sitzung", "1 Tag", "2 Jahre", "Erstanbieter"),
        "fr": ("Session", "1 jour", "2 ans", "Propriétaire"),
    }
    for language, (session, day, years, first) in cases.items():
        with translation.override(language):
            assert duration_in_words(DurationUnit.SESSION, None) == session
            assert duration_in_words(DurationUnit.DAYS, 1) == day
            assert duration_in_words(DurationUnit.YEARS, 2) == years
            assert str(Party.FIRST.label) == first


def test_a_version_frozen_while_the_editor_uses_german_keeps_the_pages_language(cookie_policy):
    with translation.override("de"):
        cookie_policy.save_revision().publish()
    version = cookie_policy.versions.order_by("-number").first()
    assert '<th scope="col">Provider</th>' in version.body_html
    assert "Anbieter" not in version.body_html


def test_a_visitors_own_choice_is_described_in_german(client, demo_site):
    from consent.banner_data import banner_data

    registry = banner_data().registry
    optional = [category.key for category in registry.optional_categories]
    saved = client.post(
        "/de/consent/",
        {"action": "accept_all", "granted": optional, "registry_version": registry.version_number},
        content_type="application/json",
    )
    assert saved.status_code == 201
    html = client.get("/de/cookie-settings/").content.decode()
    assert "<dt>Ihre Aktion</dt>\n          <dd>Alle akzeptieren</dd>" in html
    assert "Unbedingt erforderliche Cookies (immer aktiv)" in html
