from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CookieScannerConfig(AppConfig):
    name = "cookie_scanner"
    verbose_name = _("Cookie scanner")
