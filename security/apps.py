from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from .checks import check_security_settings

        checks.register(check_security_settings)
