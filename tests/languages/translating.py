"""Translating pages in tests as an editor does with Wagtail's simple_translation."""

from __future__ import annotations

from typing import Any


def translate(page: Any, language_code: str, title: str, **fields: Any) -> Any:
    """``page`` in ``language_code`` (its translation, created with its parents if missing), published
    with ``title`` and any other ``fields`` set."""
    from wagtail.models import Locale

    translation = page.get_translation_or_none(Locale.objects.get(language_code=language_code))
    if translation is None:
        translation = page.copy_for_translation(
            Locale.objects.get(language_code=language_code), copy_parents=True
        )
    translation = translation.specific
    translation.title = title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    for parent in translation.get_ancestors().filter(depth__gt=1).specific():
        if not parent.live:
            parent.save_revision().publish()
    translation.refresh_from_db()
    return translation
