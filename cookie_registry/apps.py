from django.apps import AppConfig


class CookieRegistryConfig(AppConfig):
    name = "cookie_registry"
    verbose_name = "Cookie registry"

    def ready(self) -> None:
        from .signal_handlers import connect_signal_handlers

        connect_signal_handlers()
