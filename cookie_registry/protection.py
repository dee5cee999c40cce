"""Why a category may not be deleted: the policy and the consent records still depend on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import CookieCategory


def category_deletion_blockers(category: CookieCategory) -> list[str]:
    """Reasons (for editors) that deleting this category would break something; empty when it is safe."""
    reasons: list[str] = []
    cookie_count = category.cookies.count()
    if cookie_count:
        reasons.append(
            f"it still declares {cookie_count} cookie{'s' if cookie_count != 1 else ''}; "
            "move or remove them first (or unpublish the category)"
        )
    script_names = list(category.scripts.values_list("name", flat=True))
    if script_names:
        reasons.append(f"third-party scripts depend on it: {', '.join(script_names)}")
    pages = live_policy_pages_showing(category.key)
    if pages:
        reasons.append(
            "published policy content shows its cookie table: " + ", ".join(page.title for page in pages)
        )
    return reasons


def live_policy_pages_showing(category_key: str) -> list:
    """Live policy pages with a "cookie declarations" block limited to this category.

    The block stores the category key (not a foreign key), so Wagtail's reference index cannot see it.
    """
    from policy_pages.models import PolicyPage

    pages = []
    for page in PolicyPage.objects.live().only("pk", "title", "body"):
        for block in page.body:
            if block.block_type == "cookie_declarations" and block.value.get("category") == category_key:
                pages.append(page)
                break
    return pages
