from django.apps import AppConfig


class CookieRegistryConfig(AppConfig):
    name = "cookie_registry"
    verbose_name = "Cookie registry"
