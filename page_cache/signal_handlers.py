"""Which changes retire which cached pages.

Site-wide (banner, navigation, footer — every page shows them): any write to the cookie registry,
the organisation or consent settings, or a Site record; a page moved, renamed or deleted.
One page: publishing or unpublishing it (its routes, its parent's listing; the whole site if the
top-level pages' titles or menu changed as a result), scheduling or cancelling its go-live (the
"upcoming version" notice), and writes to records only its routes show (policy versions).

Registry rows are watched with ``post_save``/``post_delete`` as well as Wagtail's
``published``/``unpublished``: the public site reads the live rows, so any write that touches
them (publish, import, a script) matters, while saving a draft or taking a lock does not.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, Revision
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from . import invalidation

# Every model of these apps is shown (through the banner, tables or footer) on every page.
SITE_WIDE_APPS = ["cookie_registry", "organisation"]
SITE_WIDE_MODELS = ["consent.ConsentSettings", "wagtailcore.Site"]
# Records shown only on the routes of the policy page they belong to (their ``page`` field).
PAGE_ROUTE_MODELS = ["policy_pages.PolicyVersion"]

# Fields Wagtail writes when saving a draft, locking or scheduling: invisible to visitors.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "has_unpublished_changes",
        "draft_title",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def site_wide_models() -> list[type]:
    models = [model for label in SITE_WIDE_APPS for model in apps.get_app_config(label).get_models()]
    models += [apps.get_model(label) for label in SITE_WIDE_MODELS]
    return models


def page_route_models() -> list[type]:
    found = []
    for label in PAGE_ROUTE_MODELS:
        try:
            found.append(apps.get_model(label))
        except LookupError:  # that app has not defined it (yet)
            continue
    return found


def _is_draft_only(update_fields) -> bool:
    return bool(update_fields) and set(update_fields) <= DRAFT_ONLY_FIELDS


def on_site_wide_write(sender, instance, update_fields=None, **kwargs) -> None:
    if not _is_draft_only(update_fields):
        invalidation.invalidate_site()


def on_snippet_published_or_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        return  # pages are handled by page_published / page_unpublished below
    if sender in site_wide_models():
        invalidation.invalidate_site()


def on_page_published_or_unpublished(sender, instance, **kwargs) -> None:
    invalidation.invalidate_page(instance)


def on_page_restructured(sender, instance, **kwargs) -> None:
    invalidation.invalidate_site()


def on_page_deleted(sender, instance, **kwargs) -> None:
    if instance.live:
        invalidation.invalidate_site()


def on_page_route_record_write(sender, instance, update_fields=None, **kwargs) -> None:
    page = getattr(instance, "page", None)
    if isinstance(page, Page):
        invalidation.invalidate_page_routes(page)
    else:
        invalidation.invalidate_site()


def on_revision_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """Scheduling or cancelling a page's go-live changes its "upcoming version" notice."""
    schedule_changed = (update_fields is not None and "approved_go_live_at" in update_fields) or (
        created and instance.approved_go_live_at is not None
    )
    if not schedule_changed:
        return
    content_object = instance.content_object
    if isinstance(content_object, Page):
        invalidation.invalidate_page_routes(content_object)


def connect() -> None:
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="page_cache_revision_saved")
    for model in site_wide_models():
        post_save.connect(
            on_site_wide_write, sender=model, dispatch_uid=f"page_cache_save_{model._meta.label}"
        )
        post_delete.connect(
            on_site_wide_write, sender=model, dispatch_uid=f"page_cache_delete_{model._meta.label}"
        )
    for model in page_route_models():
        post_save.connect(
            on_page_route_record_write, sender=model, dispatch_uid=f"page_cache_{model._meta.label}"
        )
        post_delete.connect(
            on_page_route_record_write, sender=model, dispatch_uid=f"page_cache_del_{model._meta.label}"
        )
    published.connect(on_snippet_published_or_unpublished, dispatch_uid="page_cache_published")
    unpublished.connect(on_snippet_published_or_unpublished, dispatch_uid="page_cache_unpublished")
    page_published.connect(on_page_published_or_unpublished, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(on_page_published_or_unpublished, dispatch_uid="page_cache_page_unpublished")
    page_slug_changed.connect(on_page_restructured, dispatch_uid="page_cache_slug_changed")
    post_page_move.connect(on_page_restructured, dispatch_uid="page_cache_page_moved")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_delete.connect(
                on_page_deleted, sender=model, dispatch_uid=f"page_cache_page_del_{model._meta.label}"
            )
