"""Site navigation: the live pages directly under the site's home page, in the URL's language."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("components/site_navigation.html", takes_context=True)
def site_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    root = None
    if site is not None:
        root = site.root_page
        if get_language() != settings.LANGUAGE_CODE:  # the default language needs no locale lookup
            root = root.localized
        items = list(root.get_children().live().in_menu().only("title", "url_path", "depth", "path"))
    return {"root": root, "items": items, "current": context.get("page"), "request": request}
