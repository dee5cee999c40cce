"""Settings › Consent branding (AA contrast, versioned stylesheet, labels) and the 409 that refreshes the banner."""

from __future__ import annotations

import re

import pytest

from django.core.exceptions import ValidationError
from django.test import Client

from consent.branding import contrast_ratio, format_ratio
from consent.models import ConsentSettings
from cookie_registry.models import RegistryVersion

from .conftest import choice, post_form, post_json


def settings_url() -> str:
    return f"/admin/settings/consent/consentsettings/{ConsentSettings.load().pk}/"


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#ffffff", "#000000", "21.00:1"),
        ("#0b4f8a", "#ffffff", "8.40:1"),
        ("#777777", "#ffffff", "4.47:1"),
        ("#ffffff", "#ffffff", "1.00:1"),
    ],
)
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert format_ratio(contrast_ratio(first, second)) == ratio
    assert contrast_ratio(first, second) == contrast_ratio(second, first)


def test_colours_below_aa_are_refused_with_the_ratio(db):
    consent_settings = ConsentSettings.load()
    consent_settings.primary_colour, consent_settings.button_text_colour = "#777777", "#ffffff"
    with pytest.raises(ValidationError) as raised:
        consent_settings.full_clean()
    assert "4.47:1" in str(raised.value.message_dict["button_text_colour"])
    consent_settings.primary_colour = "#767676"  # the lightest grey that passes on white
    consent_settings.full_clean()


def settings_form_data(consent_settings: ConsentSettings, **overrides) -> dict:
    fields = [
        "banner_heading",
        "banner_text",
        "reconsent_text",
        "gpc_notice",
        "consent_lifetime_days",
        "record_retention_days",
        "primary_colour",
        "button_text_colour",
        "banner_position",
        "accept_label",
        "reject_label",
        "customize_label",
        "save_label",
    ]
    data = {name: getattr(consent_settings, name) for name in fields}
    data["logo"] = ""
    data.update(overrides)
    return data


def test_admin_shows_the_ratio_and_keeps_the_old_colours(admin_client, demo_site):
    consent_settings = ConsentSettings.load()
    response = admin_client.post(
        settings_url(), settings_form_data(consent_settings, primary_colour="#999999")
    )
    assert response.status_code == 200
    assert "2.84:1" in response.content.decode()
    assert ConsentSettings.load().primary_colour == "#0b4f8a"


def brand_link(html: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="(/consent/brand-[0-9a-f]{12}\.css)">', html)
    return match.group(1) if match else ""


def test_brand_stylesheet_is_versioned_and_changes_on_save(admin_client, demo_site):
    client = Client()  # a visitor: admin_client is the suite's ``client``, signed in
    assert brand_link(client.get("/").content.decode()) == ""  # built-in look: no extra request
    consent_settings = ConsentSettings.load()
    response = admin_client.post(
        settings_url(),
        settings_form_data(
            consent_settings,
            primary_colour="#5b2a86",
            banner_position="corner",
            accept_label="Allow all",
            reject_label="Refuse all",
        ),
    )
    assert response.status_code == 302
    html = client.get("/").content.decode()
    first = brand_link(html)
    assert first
    assert 'class="cb cb--corner"' in html
    assert ">Allow all</button>" in html and ">Refuse all</button>" in html
    css = client.get(first)
    assert css["Content-Type"].startswith("text/css")
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    body = css.content.decode()
    assert body == ":root{--cb-p:#5b2a86;--cb-t:#ffffff}"
    assert "url(" not in body and "@import" not in body

    admin_client.post(settings_url(), settings_form_data(ConsentSettings.load(), primary_colour="#1d5c2e"))
    second = brand_link(client.get("/").content.decode())
    assert second and second != first
    assert "--cb-p:#1d5c2e" in client.get(second).content.decode()
    stale = client.get(first)  # a page cached before the save: today's text, briefly cacheable
    assert stale["Cache-Control"] == "public, max-age=60" and "--cb-p:#1d5c2e" in stale.content.decode()


def test_accept_and_reject_have_the_same_prominence_in_markup(client, demo_site):
    html = client.get("/").content.decode()
    accept = re.search(r'<button type="button" class="([^"]+)" data-consent="accept_all">', html).group(1)
    reject = re.search(r'<button type="button" class="([^"]+)" data-consent="reject_all">', html).group(1)
    assert accept == reject == "cbtn"


def test_409_carries_the_new_config_and_dialog_form(client, registry):
    old = registry.version.number
    RegistryVersion.objects.create(number=old + 1, snapshot={}, changes=["New cookie in Analytics: _x"])

    response = post_json(client, choice("accept_all", ["analytics"], old))

    assert response.status_code == 409
    answer = response.json()
    assert answer["registry_version"] == old + 1
    assert answer["config"]["registryVersion"] == old + 1
    assert {c["key"] for c in answer["config"]["categories"]} >= {"analytics"}
    assert answer["form"].startswith('<form method="post" action="/consent/"')
    assert f'name="registry_version" value="{old + 1}"' in answer["form"]
    assert 'id="cd-analytics"' in answer["form"]  # the dialog's ids, so labels still match


def test_409_for_the_no_js_form_stays_a_page(client, registry):
    old = registry.version.number
    RegistryVersion.objects.create(number=old + 1, snapshot={}, changes=["x"])
    response = post_form(client, [("action", "reject_all"), ("registry_version", str(old))])
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("position", ["bar", "corner", "modal"])
def test_banner_assets_with_branding_stay_under_4_kb_gzipped(db, position):
    """The three banner files plus the brand stylesheet, whatever the position and logo."""
    import gzip

    from django.contrib.staticfiles import finders

    from consent.branding import brand_css

    consent_settings = ConsentSettings.load()
    consent_settings.primary_colour, consent_settings.banner_position = "#5b2a86", position
    consent_settings.logo_id = 1  # only whether there is one matters to the stylesheet
    sizes = {}
    for name in ["consent/consent-mode.js", "consent/banner.js", "consent/banner.css"]:
        with open(finders.find(name), "rb") as handle:
            sizes[name] = len(gzip.compress(handle.read(), compresslevel=9))
    sizes["brand.css"] = len(gzip.compress(brand_css(consent_settings).encode(), compresslevel=9))
    print(f"banner assets gzipped ({position}): {sizes} total={sum(sizes.values())}")
    assert sum(sizes.values()) < 4096, sizes


def test_optional_logo_appears_in_the_banner(client, demo_site, tmp_path, settings):
    from PIL import Image as PILImage

    from django.core.files.images import ImageFile

    from wagtail.images.models import Image

    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "logo.png"
    PILImage.new("RGB", (240, 80), (11, 79, 138)).save(path)
    with open(path, "rb") as handle:
        logo = Image.objects.create(title="Logo", file=ImageFile(handle, name="logo.png"))
    assert 'class="cb__logo"' not in client.get("/").content.decode()
    consent_settings = ConsentSettings.load()
    consent_settings.logo = logo
    consent_settings.save()
    html = client.get("/").content.decode()
    img = re.search(r'<img[^>]*class="cb__logo"[^>]*>', html)
    assert img and 'alt=""' in img.group(0) and 'height="40"' in img.group(0)
    assert brand_link(html) == ""  # a logo alone needs no brand stylesheet
