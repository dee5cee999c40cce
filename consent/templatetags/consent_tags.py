"""Template tags that put the consent banner on every page.

``{% consent_head %}`` (in ``<head>``): the banner stylesheet, the consent config as a JSON data
block, the Consent Mode default script, and head-placed gated scripts.
``{% consent_banner %}`` (before ``</body>``): the hidden banner, the preferences dialog, body-placed
gated scripts and the deferred banner script.
In previews, the admin and pages rendered for signed-in staff both tags leave out every gated script
and the banner script, and the banner becomes a note saying so (``security.staff``).
``{% consent_embed "social_media" %}…{% endconsent_embed %}``: third-party content (an iframe) that
shows a placeholder until the visitor grants its category.
``{% csp_inline_style media="print" %}…{% endcsp_inline_style %}``: an inline ``<style>`` element
allowed by the Content-Security-Policy through its sha256 hash (same for every visitor, unlike a nonce).
All read one ``BannerData`` shared by the worker until the site generation changes.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from content_security.csp import csp_hash
from security.staff import third_party_code_disabled
from site_data.generation import shared_per_generation

from ..banner_data import banner_data

register = template.Library()


@register.inclusion_tag("consent/head.html", takes_context=True)
def consent_head(context: template.Context) -> dict:
    request = context.get("request")
    data = banner_data()
    brand = {"brand_stylesheet_url": data.settings.brand_stylesheet_url}
    if third_party_code_disabled(request):  # previews, admin, signed-in staff: nothing to activate
        return {"third_party_code_disabled": True, **brand}
    return {"config": data.config, "head_scripts": data.head_scripts, **brand}


@register.simple_tag(takes_context=True)
def consent_banner(context: template.Context) -> str:
    request = context.get("request")
    if third_party_code_disabled(request):
        # No banner script and no gated scripts: embeds and tags stay inert; the page says why.
        return render_to_string(
            "consent/banner.html",
            {"third_party_code_disabled": True, "is_preview": getattr(request, "is_preview", False)},
        )
    # The visitors' banner (with every cookie of the registry in its dialog) is the same HTML for
    # every visitor in a language: rendered once per site generation, not on every uncached page.
    return shared_per_generation(f"consent-banner-html:{get_language()}", render_visitor_banner)


def render_visitor_banner() -> str:
    data = banner_data()
    return render_to_string(
        "consent/banner.html",
        {
            "consent_settings": data.settings,
            "registry": data.registry,
            "registry_version": data.registry_version,
            "granted_keys": set(),  # pages are the same for everyone; the browser applies the choice
            "body_scripts": data.body_scripts,
            "cookie_policy_url": data.cookie_policy_url,
            "privacy_policy_url": data.privacy_policy_url,
        },
    )


@register.simple_tag
def consent_registry_version(registry) -> int:
    """The version number to post with a choice, from a ``RegistrySnapshot`` (0 before the first)."""
    return getattr(registry, "version_number", 0)


class ConsentEmbedNode(template.Node):
    def __init__(self, category_key: template.base.FilterExpression, nodelist: template.NodeList):
        self.category_key = category_key
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        key = str(self.category_key.resolve(context) or "")
        data = banner_data()
        registry = data.registry
        category = registry.category(key)
        return render_to_string(
            "consent/includes/embed.html",
            {
                "key": key,
                "category_name": category.name if category else key,
                "content": self.nodelist.render(context),
                "cookie_policy_url": data.cookie_policy_url,
            },
        )


@register.tag
def consent_embed(parser: template.base.Parser, token: template.base.Token) -> ConsentEmbedNode:
    """``{% consent_embed "social_media" %}<iframe …></iframe>{% endconsent_embed %}``"""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the category key")
    nodelist = parser.parse(("endconsent_embed",))
    parser.delete_first_token()
    return ConsentEmbedNode(parser.compile_filter(bits[1]), nodelist)


class CSPInlineStyleNode(template.Node):
    def __init__(self, media: template.base.FilterExpression | None, nodelist: template.NodeList):
        self.media = media
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        # Text inside <style> is not HTML-decoded by the browser, so "</" cannot be escaped: drop it.
        css = str(self.nodelist.render(context)).replace("</", "").replace("\r\n", "\n").replace("\r", "\n")
        request = context.get("request")
        if request is not None:
            hashes = getattr(request, "_csp_style_hashes", None)
            if hashes is None:
                hashes = request._csp_style_hashes = []
            hashes.append(csp_hash(css))
        media = self.media.resolve(context) if self.media else ""
        if media:
            return format_html('<style media="{}">{}</style>', media, mark_safe(css))
        return format_html("<style>{}</style>", mark_safe(css))


@register.tag
def csp_inline_style(parser: template.base.Parser, token: template.base.Token) -> CSPInlineStyleNode:
    """``{% csp_inline_style media="print" %}@page { … }{% endcsp_inline_style %}``"""
    bits = token.split_contents()
    media = None
    for bit in bits[1:]:
        name, _, value = bit.partition("=")
        if name != "media" or not value:
            raise template.TemplateSyntaxError(f'{bits[0]} takes only media="…"')
        media = parser.compile_filter(value)
    nodelist = parser.parse(("endcsp_inline_style",))
    parser.delete_first_token()
    return CSPInlineStyleNode(media, nodelist)
