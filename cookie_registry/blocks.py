"""StreamField blocks that render the published cookie registry inside policy pages.

The blocks store only presentation choices (caption, which category); the rows always come
from the registry, so nothing about a cookie is ever typed twice.
"""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from .services import published_registry

ANCHORS_CONTEXT_KEY = "registry_anchors"


class PublishedRegistryBlockMixin:
    """Adds the live registry snapshot (shared by the worker) to the block's template context."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["registry"] = published_registry()
        return context


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
