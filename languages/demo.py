"""Translating demo pages with Wagtail's own API, into the configured languages that have demo text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.utils import translation

from wagtail.models import Locale, Page

from .locales import ensure_site_locales

PageT = TypeVar("PageT", bound=Page)


def translation_locales(source: Page, language_codes: Iterable[str]) -> list[Locale]:
    """Locales to translate ``source`` into: each of ``language_codes`` the site is configured for,
    in the order of ``settings.LANGUAGES``, except ``source``'s own language."""
    ensure_site_locales()
    content_languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    wanted = set(language_codes) & content_languages
    codes = [
        code for code, _name in settings.LANGUAGES if code in wanted and code != source.locale.language_code
    ]
    locales = {locale.language_code: locale for locale in Locale.objects.filter(language_code__in=codes)}
    return [locales[code] for code in codes if code in locales]


def ensure_translation(
    source: PageT, locale: Locale, fields: dict[str, Any], publish: Callable[[PageT], None]
) -> PageT:
    """``source``'s translation into ``locale``; kept if it exists, otherwise created and published.

    A new translation is copied with ``copy_for_translation`` (under the parent's translation, which is
    copied too if missing), given ``fields`` (title, slug, text…) and handed to ``publish``, which runs
    with ``locale``'s language active so anything rendered at publish time is in that language.
    """
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    page = source.copy_for_translation(locale, copy_parents=True, alias=False)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    with translation.override(locale.language_code):
        publish(page)
    return page


def publish(page: Page) -> None:
    """Save a revision of ``page`` as it stands and publish it."""
    page.save_revision().publish()
