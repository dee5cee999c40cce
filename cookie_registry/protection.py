"""Why a category may not be deleted: the policy and the consent records still depend on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page, ReferenceIndex

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
    pages = live_pages_showing(category)
    if pages:
        reasons.append(
            "published policy content shows its cookie table: " + ", ".join(page.title for page in pages)
        )
    return reasons


def live_pages_showing(category: CookieCategory) -> list[Page]:
    """Live pages whose content chooses this category (Wagtail's reference index knows them)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(category)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids]).order_by("path"))
