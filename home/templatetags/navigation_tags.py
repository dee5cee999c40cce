"""Site navigation: the live pages directly under the site's home page, in the URL's language."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from wagtail.models import Page, Site

from site_data.generation import shared_per_generation

register = template.Library()


def localized_root(site: Site, language: str) -> Page:
    """A site's home page in ``language`` (the default one's when not translated), as a tree position.

    Shared per worker and site generation, like the menu items below it.
    """

    def load() -> tuple[int, str, int]:
        page = site.root_page  # Site.find_for_request reads it with the site
        if language != settings.LANGUAGE_CODE:
            page = page.localized
        return page.pk, page.path, page.depth

    pk, path, depth = shared_per_generation(f"home.navigation_root:{site.root_page_id}:{language}", load)
    return Page(pk=pk, path=path, depth=depth)


def menu_items(root: Page) -> tuple[Page, ...]:
    """The live in-menu children of ``root`` (one query), shared per worker until the site changes."""

    def load() -> tuple[Page, ...]:
        return tuple(Page.objects.child_of(root).live().in_menu().only("title", "url_path", "depth", "path"))

    return shared_per_generation(f"home.menu_items:{root.pk}", load)


@register.inclusion_tag("components/site_navigation.html", takes_context=True)
def site_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    root = None
    if site is not None:
        root = localized_root(site, get_language() or settings.LANGUAGE_CODE)
        items = menu_items(root)
    return {"root": root, "items": items, "current": context.get("page"), "request": request}
