"""StreamField blocks that render the published cookie registry inside policy pages.

The blocks store only presentation choices (caption, which category); the rows always come
from the registry, so nothing about a cookie is ever typed twice.
"""

from wagtail import blocks


def category_choices() -> list[tuple[str, str]]:
    """Choices for "which category" evaluated when the editor form is built, not at import."""
    from .models import CookieCategory

    return [("", "All categories")] + [
        (category.key, category.name) for category in CookieCategory.objects.live().order_by("sort_order")
    ]


class CookieCategoriesOverviewBlock(blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="Types of cookies we use")

    class Meta:
        icon = "list-ul"
        label = "Cookie categories overview"
        template = "cookie_registry/blocks/categories_overview.html"


class CookieDeclarationsBlock(blocks.StructBlock):
    category = blocks.ChoiceBlock(choices=category_choices, required=False)
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "table"
        label = "Cookie declarations"
        template = "cookie_registry/blocks/cookie_declarations.html"


class ThirdPartyProvidersBlock(blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="Third parties that set cookies on this site")

    class Meta:
        icon = "globe"
        label = "Third-party providers"
        template = "cookie_registry/blocks/third_party_providers.html"


class RetentionScheduleBlock(blocks.StructBlock):
    caption = blocks.CharBlock(required=False, default="How long we keep your data")

    class Meta:
        icon = "time"
        label = "Retention schedule"
        template = "cookie_registry/blocks/retention_schedule.html"
