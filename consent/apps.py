from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        from site_data.generation import watch_models

        from .models import ConsentSettings

        watch_models(ConsentSettings)  # the banner's wording and lifetime on every page
