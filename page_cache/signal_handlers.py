"""Which Wagtail page events retire which cached pages.

Everything else that alters public output (the registry, settings, policy versions …) bumps the
site generation (``site_data``), which is part of every cached page's key; each app registers its
own models there, so this module names no other app of the project.
One page: publishing or unpublishing it (its routes, its parent's listing; the whole site if the
top-level pages' titles or menu changed as a result), scheduling or cancelling its go-live (the
"upcoming version" notice). A page moved, renamed or deleted: the whole site.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, Revision
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from site_data.generation import on_committed_bump

from . import invalidation


def on_page_published_or_unpublished(sender, instance, **kwargs) -> None:
    invalidation.invalidate_page(instance)


def on_page_restructured(sender, instance, **kwargs) -> None:
    invalidation.invalidate_site()


def on_page_deleted(sender, instance, **kwargs) -> None:
    if instance.live:
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
    page_published.connect(on_page_published_or_unpublished, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(on_page_published_or_unpublished, dispatch_uid="page_cache_page_unpublished")
    page_slug_changed.connect(on_page_restructured, dispatch_uid="page_cache_slug_changed")
    post_page_move.connect(on_page_restructured, dispatch_uid="page_cache_page_moved")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_delete.connect(
                on_page_deleted, sender=model, dispatch_uid=f"page_cache_page_del_{model._meta.label}"
            )
    # Site-wide changes reach a CDN only through the site generation.
    if invalidation.frontend_cache_configured():
        on_committed_bump(invalidation.purge_all_live_pages_from_cdn)
