"""TRANSITIONAL: what alters public output, until each app registers itself with ``site_data``.

The invalidation core (``site_data.generation``) expects every app to call ``watch_models`` in its
own ``AppConfig.ready()``; until that lands (issue 9, core part), this module registers the same
models for them so that the page cache stays exact. Delete it once the apps do it themselves
(``watch_models`` is idempotent per model, so both may run meanwhile).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_save

from wagtail.models import Revision

from site_data.generation import bump_generation, watch_models

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
WATCHED_APPS = ("cookie_registry", "organisation")
WATCHED_MODELS = ("consent.ConsentSettings", "policy_pages.PolicyVersion")


def on_revision_saved(
    sender: type, instance: Revision, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """Scheduling or cancelling a go-live changes a page's "upcoming version" notice."""
    if (update_fields is not None and "approved_go_live_at" in update_fields) or (
        created and instance.approved_go_live_at is not None
    ):
        bump_generation()


def connect() -> None:
    models = [model for label in WATCHED_APPS for model in apps.get_app_config(label).get_models()]
    for label in WATCHED_MODELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    watch_models(*models, ignore_fields=DRAFT_ONLY_FIELDS)
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="page_cache_revision_saved")
