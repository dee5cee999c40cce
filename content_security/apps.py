from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentSecurityConfig(AppConfig):
    name = "content_security"
    verbose_name = _("Content-Security-Policy")
