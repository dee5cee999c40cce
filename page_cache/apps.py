from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "page_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from site_data.generation import on_committed_bump

        from .purge import purge_live_pages_from_cdn

        on_committed_bump(purge_live_pages_from_cdn)
