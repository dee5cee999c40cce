from django.apps import AppConfig
from django.core import checks


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # Connects the receivers that forget the cached CSP sources when scripts change.
        from . import csp  # noqa: F401
        from .checks import check_rate_limit_setting

        checks.register(check_rate_limit_setting)
