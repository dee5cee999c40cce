from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CookieRegistryConfig(AppConfig):
    name = "cookie_registry"
    verbose_name = _("Cookie registry")

    def ready(self) -> None:
        from site_data.generation import watch_models

        from . import models
        from .signal_handlers import connect_signal_handlers

        connect_signal_handlers()
        # The banner, the policy tables, the CSP and the registry version read these rows.
        watch_models(
            models.CookieCategory,
            models.Cookie,
            models.Provider,
            models.RetentionRule,
            models.ThirdPartyScript,
            models.RegistryVersion,
        )
