"""Site navigation: the live pages directly under the site's home page."""

from django import template

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
        items = list(root.get_children().live().in_menu().only("title", "url_path", "depth", "path"))
    return {"root": root, "items": items, "current": context.get("page"), "request": request}
