from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = _("Languages")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .locales import ensure_site_locales

        post_migrate.connect(ensure_site_locales, sender=self)
