from django.apps import AppConfig


class PolicyPagesConfig(AppConfig):
    name = "policy_pages"
    verbose_name = "Policy pages"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from .freezing import on_page_published
        from .models import PolicyPage

        page_published.connect(
            on_page_published, sender=PolicyPage, dispatch_uid="policy_pages_freeze_version"
        )
