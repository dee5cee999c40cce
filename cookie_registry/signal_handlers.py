"""Keep the registry version (and, through its listeners, the policy archives) in step with what is
published.

Only categories (and their inline cookies) carry consent-relevant data; providers, retention rules
and scripts are cosmetic for versioning but still shown in the policies' tables, so their changes are
recorded too (they never start the first registry version on their own).
"""

from __future__ import annotations

from django.db.models.signals import post_delete

from wagtail.signals import published, unpublished

from .models import CookieCategory, Provider, RetentionRule, ThirdPartyScript


def registry_category_changed(sender, instance, **kwargs) -> None:
    from .versioning import registry_changed

    registry_changed(kwargs.get("revision"))


def registry_entry_changed(sender, instance, **kwargs) -> None:
    from .versioning import registry_changed

    registry_changed(kwargs.get("revision"), may_start=False)


def connect_signal_handlers() -> None:
    published.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_published")
    unpublished.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_unpublished")
    post_delete.connect(registry_category_changed, sender=CookieCategory, dispatch_uid="registry_deleted")
    for model in (Provider, RetentionRule, ThirdPartyScript):
        name = model._meta.model_name
        published.connect(registry_entry_changed, sender=model, dispatch_uid=f"registry_published_{name}")
        unpublished.connect(registry_entry_changed, sender=model, dispatch_uid=f"registry_unpublished_{name}")
        post_delete.connect(registry_entry_changed, sender=model, dispatch_uid=f"registry_deleted_{name}")
