"""StreamField blocks that render the published cookie registry inside policy pages.

The blocks store only presentation choices (caption, which category); the rows always come
from the registry, so nothing about a cookie is ever typed twice.
"""

import logging
import re

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .services import localized_registry

ANCHORS_CONTEXT_KEY = "registry_anchors"

logger = logging.getLogger(__name__)


class PublishedRegistryBlockMixin:
    """Adds the live registry snapshot (shared by the worker) to the block's template context.

    ``follows_heading``: the block comes straight after a heading block, which is then the table's
    one visible heading (the caption stays for screen readers, visually hidden).
    """

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["registry"] = localized_registry()  # in the language of the page being rendered
        context["follows_heading"] = block_follows_heading(parent_context, value)
        return context


def block_follows_heading(parent_context, value) -> bool:
    """Whether the block holding ``value`` is directly preceded by a ``heading`` block in the page body."""
    page = (parent_context or {}).get("page")
    body = getattr(page, "body", None)
    if body is None:
        return False
    previous = None
    for block in body:
        if block.value is value:
            return previous is not None and previous.block_type == "heading"
        previous = block
    return False


def claim_anchor(parent_context, anchor: str) -> str:
    """The anchor the first time a page's render asks for it, "" afterwards (ids are unique).

    The page puts one empty set in its template context (``PolicyPage.get_context``); every block
    rendered with that context shares it. Without one, each block claims on its own.
    """
    claimed = (parent_context or {}).get(ANCHORS_CONTEXT_KEY)
    if claimed is None:
        return anchor
    if anchor in claimed:
        return ""
    claimed.add(anchor)
    return anchor


def page_lists_cookie_declarations(parent_context) -> bool:
    """Whether the page being rendered has a declarations block (which then owns the #key anchors)."""
    page = (parent_context or {}).get("page")
    body = getattr(page, "body", None)
    if body is None:
        return False
    return any(block.block_type == "cookie_declarations" for block in body)


def category_choices() -> list[tuple[str, str]]:
    """Referenced by policy_pages/migrations/0001 (the block once stored a category key); unused."""
    return [("", "All categories")]


class CookieCategoriesOverviewBlock(PublishedRegistryBlockMixin, blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="Types of cookies we use")

    class Meta:
        icon = "list-ul"
        label = "Cookie categories overview"
        template = "cookie_registry/blocks/categories_overview.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # Without a declarations block on the page, the overview rows carry the #key anchors.
        links_to_declarations = page_lists_cookie_declarations(parent_context)
        registry = context["registry"]
        context["links_to_declarations"] = links_to_declarations
        context["rows"] = [
            {
                "category": category,
                "anchor": "" if links_to_declarations else claim_anchor(parent_context, category.key),
            }
            for category in registry.categories
        ]
        return context


class CookieDeclarationsBlock(PublishedRegistryBlockMixin, blocks.StructBlock):
    # A chooser (stored as the category's pk) so Wagtail's reference index sees which pages show
    # a category; empty means every category.
    category = SnippetChooserBlock(
        "cookie_registry.CookieCategory", required=False, help_text="Empty: all categories."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "table"
        label = "Cookie declarations"
        template = "cookie_registry/blocks/cookie_declarations.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        registry = context["registry"]
        chosen = value.get("category")
        if chosen is not None:
            category = registry.category(chosen.key)  # the published version, if it is published
            context["categories"] = [category] if category else []
        else:
            context["categories"] = registry.categories
        # Each category's section is #<key>, once per page even if two blocks list it.
        context["sections"] = [
            {"category": category, "anchor": claim_anchor(parent_context, category.key)}
            for category in context["categories"]
        ]
        return context


class ThirdPartyProvidersBlock(PublishedRegistryBlockMixin, blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="Third parties that set cookies on this site")

    class Meta:
        icon = "globe"
        label = "Third-party providers"
        template = "cookie_registry/blocks/third_party_providers.html"


class RetentionScheduleBlock(PublishedRegistryBlockMixin, blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="How long we keep your data")

    class Meta:
        icon = "time"
        label = "Retention schedule"
        template = "cookie_registry/blocks/retention_schedule.html"


def optional_category_choices() -> list[tuple[str, str]]:
    """Categories a visitor can grant (an essential one could never unlock an embed)."""
    from .models import CookieCategory

    return [
        (category.key, category.name)
        for category in CookieCategory.objects.live().filter(is_essential=False).order_by("sort_order")
    ]


# YouTube's privacy-enhanced host sets no cookies until the video plays; it is the CSP default too.
_YOUTUBE_EMBED = re.compile(r"https://www\.youtube\.com/embed/")


def gated_embed_html(url: str) -> str:
    """The provider's own oEmbed markup (Wagtail's embed finders and cache), without inline styles.

    Wagtail's responsive wrapper uses a ``style`` attribute, which the strict CSP ignores, so the
    raw ``<iframe>`` is used and sized by the site stylesheet (``.embed iframe``) instead.
    """
    from wagtail.embeds.embeds import get_embed
    from wagtail.embeds.exceptions import EmbedException

    try:
        embed = get_embed(url)
    except EmbedException:
        logger.warning("Embed %s could not be fetched", url)
        return ""
    return _YOUTUBE_EMBED.sub("https://www.youtube-nocookie.com/embed/", embed.html or "")


class ConsentGatedEmbedBlock(blocks.StructBlock):
    """Third-party content (YouTube, Vimeo, any oEmbed provider) behind a consent placeholder.

    Rendered through ``{% consent_embed %}``: a placeholder with an *Enable* button until the
    visitor grants the chosen category; the browser then swaps in the provider's iframe.
    """

    embed = EmbedBlock(help_text=_("Address of the video or post, e.g. https://www.youtube.com/watch?v=…"))
    category = blocks.ChoiceBlock(
        choices=optional_category_choices,
        help_text=_(
            "The cookie category the provider's cookies belong to; the content loads once it is allowed."
        ),
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Embed (asks for consent)")
        template = "cookie_registry/blocks/consent_embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        embed = value.get("embed")
        context["embed_html"] = mark_safe(gated_embed_html(embed.url)) if embed else ""  # noqa: S308 - provider oEmbed HTML
        return context
