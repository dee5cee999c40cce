"""Registry, banner, policy versions and consent records in the visitor's language."""

from __future__ import annotations

import json
import re

import pytest

from consent.models import ConsentRecord, ConsentSettings
from cookie_registry.models import CookieCategory, RetentionRule
from cookie_registry.transfer import RegistryImportError, import_registry_data
from evidence.verification import verify_chain
from policy_pages.models import PolicyPage, PolicyVersion

from .translating import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_policies(english_demo):
    return english_demo


def publish(instance):
    revision = instance.save_revision()
    revision.publish()
    return revision


def set_translations(model, lookup: dict, translations: dict) -> None:
    instance = model.objects.get(**lookup)
    instance.translations = translations
    if isinstance(instance, CookieCategory):
        instance.cookies = list(instance.cookies.all())
    publish(instance)


def translate_analytics() -> None:
    """German name, purpose and _ga purpose for Analytics; French name only (purpose falls back)."""
    analytics = CookieCategory.objects.get(key="analytics")
    analytics.translations = {
        "de": {"name": "Statistik", "purpose": "Damit wir sehen, wie die Website genutzt wird."},
        "fr": {"name": "Mesure d'audience"},
    }
    cookies = list(analytics.cookies.all())
    for cookie in cookies:
        if cookie.name == "_ga":
            cookie.translations = {"de": {"purpose": "Unterscheidet Besucher (Google Analytics)."}}
    analytics.cookies = cookies
    publish(analytics)


def test_policy_tables_read_the_registry_in_the_pages_language_with_per_field_fallback(
    client, english_policies
):
    translate_analytics()
    translate(english_policies["cookie"], "de", "Cookie-Richtlinie")
    translate(english_policies["cookie"], "fr", "Politique relative aux cookies")

    german = client.get("/de/cookie-policy/")
    html = german.content.decode()
    assert german.status_code == 200
    assert "Statistik" in html
    assert "Damit wir sehen, wie die Website genutzt wird." in html
    assert "Unterscheidet Besucher (Google Analytics)." in html
    assert "_ga" in html and 'id="analytics"' in html, "cookie names and anchors are shared"

    french = client.get("/fr/cookie-policy/").content.decode()
    assert "Mesure d&#x27;audience" in french or "Mesure d'audience" in french
    analytics = CookieCategory.objects.get(key="analytics")
    assert analytics.purpose in french, "a purpose without a French text reads the English one"

    english = client.get("/cookie-policy/").content.decode()
    assert "Statistik" not in english and analytics.name in english


def test_a_translated_policy_version_records_its_language_source_and_localized_registry(english_policies):
    translate_analytics()
    english_current = (
        PolicyVersion.objects.filter(page=english_policies["cookie"]).order_by("-number").first()
    )
    german_page = translate(english_policies["cookie"], "de", "Cookie-Richtlinie")

    version = PolicyVersion.objects.filter(page=german_page).order_by("-number").first()
    assert version.language == "de"
    assert version.translates == english_current
    categories = {c["key"]: c for c in version.registry_snapshot["categories"]}
    assert categories["analytics"]["name"] == "Statistik"
    assert "Statistik" in version.body_html
    assert english_current.language == "en"
    assert not english_current.translates_id


def test_a_registry_translation_is_a_new_non_material_version_of_that_languages_policy_only(
    english_policies,
):
    german_page = translate(english_policies["cookie"], "de", "Cookie-Richtlinie")
    english_before = PolicyVersion.objects.filter(page=english_policies["cookie"]).count()
    german_before = PolicyVersion.objects.filter(page=german_page).count()

    set_translations(CookieCategory, {"key": "analytics"}, {"de": {"name": "Statistik"}})

    assert PolicyVersion.objects.filter(page=english_policies["cookie"]).count() == english_before
    latest = PolicyVersion.objects.filter(page=german_page).order_by("-number").first()
    assert PolicyVersion.objects.filter(page=german_page).count() == german_before + 1
    assert "Statistik" in latest.body_html
    assert latest.is_material_change is False


def test_a_missing_translation_falls_back_to_the_default_language_with_a_visible_note(
    client, english_policies
):
    translate(english_policies["cookie"], "de", "Cookie-Richtlinie")  # German home exists, privacy not
    response = client.get("/de/privacy-policy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de"' in html
    assert re.search(r'<main id="main"[^>]* lang="en"', html), "the content says it is English"
    assert 'class="language-note"' in html
    assert client.get("/fr/privacy-policy/").status_code == 200, "no French home at all: same fallback"
    assert client.get("/de/no-such-page/").status_code == 404


def test_the_banner_speaks_the_urls_language(client, english_policies):
    translate_analytics()
    german_policy = translate(english_policies["cookie"], "de", "Cookie-Richtlinie")
    stored = ConsentSettings.load()
    stored.translations = {
        "de": {"banner_heading": "Ihre Datenschutz-Einstellungen", "accept_label": "Alle akzeptieren"}
    }
    stored.save()

    html = client.get("/de/cookie-policy/").content.decode()
    assert "Ihre Datenschutz-Einstellungen" in html
    assert "Alle akzeptieren" in html
    assert stored.reject_label in html, "an untranslated label reads the English one"
    config = json.loads(
        re.search(r'<script id="consent-config" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert config["endpoint"] == "/de/consent/"
    assert {c["key"]: c["name"] for c in config["categories"]}["analytics"] == "Statistik"
    assert german_policy.url in html, "the banner links the German cookie policy"

    english = client.get("/cookie-policy/").content.decode()
    assert "Ihre Datenschutz-Einstellungen" not in english and stored.banner_heading in english


def test_a_consent_given_on_a_german_page_stores_de_and_the_german_versions(client, english_policies):
    german_policy = translate(english_policies["cookie"], "de", "Cookie-Richtlinie")
    response = post(client, "/de/consent/", "accept_all")
    assert response.status_code == 201, response.content
    record = ConsentRecord.objects.get()
    assert record.language == "de"
    versions = {version.page_id: version for version in record.policy_versions.all()}
    assert versions[german_policy.pk].language == "de"
    # The privacy policy has no German translation: the English text is what the visitor was shown.
    assert versions[english_policies["privacy"].pk].language == "en"
    assert english_policies["cookie"].pk not in versions
    assert {item["language"] for item in record.policy_versions_snapshot} == {"de", "en"}
    assert verify_chain(ConsentRecord).ok, "the language is covered by the record's hash"

    # The receipt names the categories as the visitor read them, and its language.
    translate_analytics()
    assert post(client, "/de/consent/", "accept_all").status_code == 201
    receipt = client.get("/de/cookie-settings/record.json").json()["@graph"][-1]
    assert receipt["dct:language"] == "de"
    assert {p["dct:identifier"]: p["dct:title"] for p in receipt["dpv:hasPurpose"]}[
        "analytics"
    ] == "Statistik"
    verified = client.post("/de/consent/verify/", {"receipt": json.dumps(receipt)}).content.decode()
    assert 'data-receipt-result="verified"' in verified

    assert post(client, "/consent/", "reject_all").status_code == 201
    assert ConsentRecord.objects.order_by("-pk").first().language == "en"


def post(client, url: str, action: str):
    from cookie_registry.services import published_registry

    registry = published_registry()
    granted = [c.key for c in registry.optional_categories] if action == "accept_all" else []
    body = {"action": action, "granted": granted, "registry_version": registry.version_number}
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_translations_are_validated_on_import_with_their_location():
    data = {
        "format": "cookie-registry",
        "format_version": 1,
        "retention_rules": [
            {"data_category": "Logs", "period": "30 days", "translations": {"xx": {"period": "30 Tage"}}},
            {"data_category": "Mail", "period": "1 year", "translations": {"de": {"period": "x" * 200}}},
            {"data_category": "CV", "period": "6 months", "translations": {"de": {"colour": "blau"}}},
        ],
    }
    with pytest.raises(RegistryImportError) as error:
        import_registry_data(data)
    text = "\n".join(error.value.errors)
    assert "retention_rules[0].translations" in text and "xx is not a translation language" in text
    assert "retention_rules[1].translations" in text and "at most 120" in text
    assert "retention_rules[2].translations" in text and "not a translatable field" in text
    assert not RetentionRule.objects.filter(data_category__in=["Logs", "Mail", "CV"]).exists()


def test_translations_round_trip_through_export_and_import(english_policies):
    from cookie_registry.transfer import export_registry_data

    translate_analytics()
    data = export_registry_data()
    analytics = next(c for c in data["categories"] if c["key"] == "analytics")
    assert analytics["translations"]["de"]["name"] == "Statistik"
    CookieCategory.objects.filter(key="analytics").update(translations={})
    import_registry_data(data)
    assert CookieCategory.objects.get(key="analytics").translations["de"]["name"] == "Statistik"


def test_only_configured_languages_can_be_translated(settings):
    assert settings.LANGUAGE_CODE == "en"
    from languages.fields import translation_errors

    assert translation_errors({"de": {"name": "x"}}, {"name": 10}) == []
    assert translation_errors({"en": {"name": "x"}}, {"name": 10}), "the default language is the source"
    assert translation_errors("oops", {"name": 10})


def publish_material_change(page: PolicyPage, summary: str) -> PolicyVersion:
    page = page.specific
    page.change_summary = summary
    page.is_material_change = True
    page.save_revision().publish()
    return PolicyVersion.objects.filter(page=page).latest("number")


def test_a_translation_behind_a_material_change_of_its_original_says_so(
    client, admin_client, english_policies
):
    german = translate(english_policies["cookie"], "de", "Cookie-Richtlinie")
    history_url = german.url + "versions/"
    edit_url = f"/admin/pages/{german.pk}/edit/"
    assert "notice--translation-lag" not in client.get(history_url).content.decode()
    assert "help-warning" not in admin_client.get(edit_url).content.decode()

    # A wording fix of the original is not reported; a material change is.
    english = english_policies["cookie"].specific
    english.change_summary, english.is_material_change = "Typo.", False
    english.save_revision().publish()
    assert "notice--translation-lag" not in client.get(history_url).content.decode()
    material = publish_material_change(english_policies["cookie"], "We now use a new analytics provider.")

    history = client.get(history_url).content.decode()
    assert "notice--translation-lag" in history
    assert f'href="{material.get_absolute_url()}"' in history
    editor = admin_client.get(edit_url).content.decode()
    assert "help-warning" in editor and "We now use a new analytics provider." in editor

    german = translate(english_policies["cookie"], "de", "Cookie-Richtlinie (aktualisiert)")
    assert PolicyVersion.objects.filter(page=german).order_by("-number").first().translates == material
    assert "notice--translation-lag" not in client.get(history_url).content.decode()
    assert "help-warning" not in admin_client.get(edit_url).content.decode()
