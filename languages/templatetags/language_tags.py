"""The current page in every language it is published in: ``hreflang`` links and the switcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language

from wagtail.models import Page

from languages.locales import locale_languages
from site_data.generation import shared_per_generation

register = template.Library()


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in its own language ("Deutsch")
    url: str
    absolute_url: str
    current: bool


def _translated_keys() -> frozenset[str]:
    """``translation_key`` of every live page outside the default language (one query)."""
    keys = (
        Page.objects.live()
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .values_list("translation_key", flat=True)
    )
    return frozenset(str(key) for key in keys)


def has_translations(page: Any) -> bool:
    """Whether ``page`` may have a live translation; shared per worker until the site changes."""
    return str(page.translation_key) in shared_per_generation("languages.translated_keys", _translated_keys)


@register.simple_tag(takes_context=True)
def page_languages(context: dict[str, Any], page: Any = None) -> list[PageLanguage]:
    """The live translations of ``page`` (itself included), or [] when there is no other language.

    Only on the page's own URL: a sub-route (a policy's history, an archived version) has no
    translated equivalent to point to. No query for an untranslated page; one for a translated one.
    """
    request = context.get("request")
    if page is None or request is None or not getattr(page, "pk", None) or not has_translations(page):
        return []
    if request.path != page.get_url(request):
        return []
    names = dict(settings.LANGUAGES)
    languages = []
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        code = translation.locale.language_code
        url = translation.get_url(request) if code in names else None
        if url:
            languages.append(
                PageLanguage(
                    code, names[code], url, request.build_absolute_uri(url), translation.pk == page.pk
                )
            )
    order = list(names)
    languages.sort(key=lambda language: order.index(language.code))
    return languages if len(languages) > 1 else []


@register.simple_tag(takes_context=True)
def content_language(context: dict[str, Any], page: Any = None) -> str:
    """The page's own language when it differs from the URL's, else "".

    That happens when a language has no translation of a page and the default-language page is
    shown in its place (``home.models.HomePage.route``): the page then says so, and marks its
    content with its real language. No query: the locale codes are shared per site generation.
    """
    locale_id = getattr(page, "locale_id", None)
    if not locale_id:
        return ""
    code = locale_languages().get(locale_id, "")
    return code if code and code != get_language() else ""
