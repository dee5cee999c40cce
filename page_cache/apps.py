from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "page_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
