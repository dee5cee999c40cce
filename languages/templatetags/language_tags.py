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


def _translation_links(page: Any, request: Any) -> tuple[tuple[str, str, int], ...]:
    """``(code, url, page id)`` of ``page``'s live translations in the site's languages (one query),
    shared per worker, site and page until the site changes: the URLs depend on the request's site
    only (Wagtail makes a page's URL relative when it is on the request's site)."""
    site = getattr(request, "_wagtail_site", None)

    def load() -> tuple[tuple[str, str, int], ...]:
        names = dict(settings.LANGUAGES)
        links = []
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            code = translation.locale.language_code
            url = translation.get_url(request) if code in names else None
            if url:
                links.append((code, url, translation.pk))
        order = list(names)
        return tuple(sorted(links, key=lambda link: order.index(link[0])))

    return shared_per_generation(f"languages.links:{getattr(site, 'pk', '')}:{page.pk}", load)


@register.simple_tag(takes_context=True)
def page_languages(context: dict[str, Any], page: Any = None) -> list[PageLanguage]:
    """The live translations of ``page`` (itself included), or [] when there is no other language.

    Only on the page's own URL: a sub-route (a policy's history, an archived version) has no
    translated equivalent to point to. No query for an untranslated page, nor for a translated one
    already seen by this worker in this site generation.
    """
    request = context.get("request")
    if page is None or request is None or not getattr(page, "pk", None) or not has_translations(page):
        return []
    if request.path != page.get_url(request):
        return []
    links = _translation_links(page, request)
    if len(links) < 2:
        return []
    names = dict(settings.LANGUAGES)
    return [
        PageLanguage(code, names[code], url, request.build_absolute_uri(url), pk == page.pk)
        for code, url, pk in links
    ]


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
