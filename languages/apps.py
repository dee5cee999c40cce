from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = _("Languages")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .locales import ensure_site_locales

        # Sent per app with models only (this app has none): follow Wagtail's own, which owns Locale.
        post_migrate.connect(ensure_site_locales, sender=apps.get_app_config("wagtailcore"))
