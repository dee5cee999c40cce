"""Favicon, meta descriptions and one visible heading per table: what crawlers and Lighthouse look at."""

from __future__ import annotations

import re

import pytest

from django.core.files.images import ImageFile

from wagtail.images.models import Image

from organisation.models import OrganisationSettings


def meta_description(html: str) -> str:
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert match, "no meta description"
    return match.group(1)


def test_favicon_ico_is_served_by_default(client, demo_site):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}">' in html


def test_favicon_from_settings_replaces_the_default(client, demo_site, tmp_path, settings):
    from PIL import Image as PILImage

    settings.MEDIA_ROOT = str(tmp_path / "media")

    path = tmp_path / "icon.png"
    PILImage.new("RGB", (128, 128), (200, 30, 30)).save(path)
    with open(path, "rb") as handle:
        image = Image.objects.create(title="Icon", file=ImageFile(handle, name="icon.png"))
    organisation = OrganisationSettings.load()
    organisation.favicon = image
    organisation.save()
    location = client.get("/favicon.ico")["Location"]
    assert location.endswith(".png") and "favicon" not in location
    assert f'<link rel="icon" href="{location}">' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/privacy-policy/", "What personal data we collect, why, for how long, and your rights."),
        (
            "/cookie-policy/",
            "Every cookie this site uses, why, for how long, and how to change your choices.",
        ),
    ],
)
def test_meta_description_is_the_search_description(client, demo_site, path, expected):
    assert meta_description(client.get(path).content.decode()) == expected


def test_meta_description_falls_back_to_intro_then_to_a_sentence(client, demo_site):
    home = demo_site
    home.search_description = ""
    home.save_revision().publish()
    fallback = meta_description(client.get("/").content.decode())
    assert fallback.startswith("This site explains, in plain language")
    assert len(fallback) <= 160 and "<" not in fallback
    settings_page = meta_description(client.get("/cookie-settings/").content.decode())
    assert "Northwind" in settings_page and "cookie choices" in settings_page


def test_each_registry_table_has_one_visible_heading(client, demo_site):
    """A table straight after a heading block keeps its caption for screen readers only."""
    html = client.get("/cookie-policy/").content.decode()
    assert re.search(r"<h2[^>]*>Types of cookies we use</h2>", html)  # the heading block …
    assert '<caption class="visually-hidden">Types of cookies we use</caption>' in html  # … and the caption
    assert "<caption>Types of cookies we use</caption>" not in html
    for section in re.findall(r'<section class="cookie-category".*?</section>', html, flags=re.S):
        assert "<h3>" in section and '<caption class="visually-hidden">' in section
