"""The German and French demo policies mirror the English ones block for block."""

from __future__ import annotations

from typing import Any

import pytest

from home.demo_content import INTRO
from home.demo_translations import HOME_TRANSLATIONS
from policy_pages.demo_content import POLICIES
from policy_pages.demo_translations import POLICY_TRANSLATIONS

ENGLISH = {spec["slug"]: spec for spec in POLICIES}
CASES = [(slug, code) for slug, texts in POLICY_TRANSLATIONS.items() for code in texts]
# Text a reader sees; everything else in a block is structure and must stay as in English.
TEXT_KEYS = {"text", "caption", "intro", "right", "explanation"}


def structure(value: Any) -> Any:
    """The block value with its human text blanked out."""
    if isinstance(value, dict):
        return {key: "…" if key in TEXT_KEYS else structure(item) for key, item in value.items()}
    if isinstance(value, list):
        return [structure(item) for item in value]
    return value


def english_body(slug: str) -> list[tuple]:
    return ENGLISH[slug]["versions"][-1]["body"]  # the text in force today


@pytest.mark.parametrize(("slug", "code"), CASES)
def test_translated_body_has_the_english_blocks_in_the_english_order(slug, code):
    english, translated = english_body(slug), POLICY_TRANSLATIONS[slug][code]["body"]
    assert [block_type for block_type, _value in translated] == [block_type for block_type, _value in english]
    for (block_type, english_value), (_type, value) in zip(english, translated, strict=True):
        if block_type == "heading":
            assert value["anchor"] == english_value["anchor"], "table of contents links stay stable"
        if block_type != "paragraph":
            assert structure(value) == structure(english_value), block_type


@pytest.mark.parametrize(("slug", "code"), CASES)
def test_every_human_text_is_translated(slug, code):
    english, translated = english_body(slug), POLICY_TRANSLATIONS[slug][code]["body"]
    for (block_type, english_value), (_type, value) in zip(english, translated, strict=True):
        if block_type == "paragraph":
            assert value != english_value
        elif block_type == "heading":
            assert value["text"] != english_value["text"] or value["text"] in {"Cookies", "Introduction"}
        else:
            for key in TEXT_KEYS & set(english_value):
                assert value[key] != english_value[key], f"{block_type}.{key}"
    fields = POLICY_TRANSLATIONS[slug][code]
    for name in ("title", "slug", "search_description", "summary"):
        assert fields[name] and fields[name] != ENGLISH[slug][name], name


@pytest.mark.parametrize("code", ["de", "fr"])
def test_data_subject_rights_are_translated_one_for_one(code):
    english = dict(english_body("privacy-policy"))["data_subject_rights"]["rights"]
    translated = dict(POLICY_TRANSLATIONS["privacy-policy"][code]["body"])["data_subject_rights"]["rights"]
    assert len(translated) == len(english) == 7
    for mine, theirs in zip(translated, english, strict=True):
        assert mine["explanation"] != theirs["explanation"]
    same_names = [
        mine["right"]
        for mine, theirs in zip(translated, english, strict=True)
        if mine["right"] == theirs["right"]
    ]
    assert same_names in ([], ["Rectification"])  # the French word is the English one


def test_home_page_translations_cover_the_english_fields():
    for code, fields in HOME_TRANSLATIONS.items():
        assert set(fields) == {"title", "slug", "intro", "search_description"}, code
        assert fields["intro"] != INTRO and fields["intro"].startswith("<p>")


def test_translated_slugs_are_unique_per_language_and_links_point_at_them():
    for code in ("de", "fr"):
        slugs = [POLICY_TRANSLATIONS[slug][code]["slug"] for slug in POLICY_TRANSLATIONS]
        assert len(set(slugs)) == len(slugs)
        cookie_slug = POLICY_TRANSLATIONS["cookie-policy"][code]["slug"]
        privacy_html = "".join(
            value
            for block_type, value in POLICY_TRANSLATIONS["privacy-policy"][code]["body"]
            if block_type == "paragraph"
        )
        assert f'href="/{code}/{cookie_slug}/"' in privacy_html
