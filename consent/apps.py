from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        from site_data.generation import watch_models

        from .checks import check_rate_limit_setting
        from .models import ConsentSettings

        checks.register(check_rate_limit_setting)
        watch_models(ConsentSettings)  # the banner's wording and lifetime on every page
