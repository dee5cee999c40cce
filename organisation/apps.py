from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from site_data.generation import watch_models

        from .models import OrganisationSettings

        watch_models(OrganisationSettings)  # every page's header and footer
