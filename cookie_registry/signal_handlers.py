"""Keep the registry version in step with what is published.

Only categories (and their inline cookies) carry consent-relevant data; providers, retention rules
and scripts are cosmetic for versioning, so they are not listened to here.
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from wagtail.signals import published, unpublished

from .models import CookieCategory


def registry_category_changed(sender, instance, **kwargs) -> None:
    from .versioning import registry_changed

    registry_changed()


def connect_signal_handlers() -> None:
    published.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_published")
    unpublished.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_unpublished")
    post_delete.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_deleted")
