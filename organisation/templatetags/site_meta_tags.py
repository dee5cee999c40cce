"""``{% favicon_url %}`` and ``{% meta_description %}`` for the site frame's ``<head>``."""

from __future__ import annotations

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ..favicon import favicon_url as organisation_favicon_url
from ..models import OrganisationSettings

register = template.Library()

DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def favicon_url(context: template.Context) -> str:
    return organisation_favicon_url(context.get("request"))


@register.simple_tag(takes_context=True)
def meta_description(context: template.Context) -> str:
    """The page's search description; else its intro or summary; else a sentence about the site.

    Every page gets one (search engines and Lighthouse's SEO audit expect it); the fallback keeps
    editors from having to fill in a field before a page is usable.
    """
    page = context.get("page")
    for attribute in ("search_description", "intro", "summary"):
        text = " ".join(strip_tags(str(getattr(page, attribute, "") or "")).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    request = context.get("request")
    name = OrganisationSettings.load(request_or_site=request).display_name if request else ""
    owner = f"{name}: " if name else ""
    return f"{owner}how this site uses personal data and cookies, and how to change your cookie choices."
