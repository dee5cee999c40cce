from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyPagesConfig(AppConfig):
    name = "policy_pages"
    verbose_name = _("Policy pages")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from wagtail.signals import page_published

        from cookie_registry.versioning import on_registry_change
        from site_data.generation import watch_models

        from .freezing import backfill_policy_versions, freeze_registry_change, on_page_published
        from .models import PolicyPage, PolicyVersion
        from .review import assign_legal_review

        page_published.connect(
            on_page_published, sender=PolicyPage, dispatch_uid="policy_pages_freeze_version"
        )
        # A registry change that alters a policy's tables versions that policy (same transaction).
        on_registry_change(freeze_registry_change)
        post_save.connect(assign_legal_review, sender=PolicyPage, dispatch_uid="policy_pages_legal_review")
        # Version history, archives and the versions in force that consent records link to.
        watch_models(PolicyVersion)
        # A site upgraded from before versions existed: its live policies get their first version.
        post_migrate.connect(backfill_policy_versions, sender=self, dispatch_uid="policy_pages_backfill")
