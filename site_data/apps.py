from django.apps import AppConfig


class SiteDataConfig(AppConfig):
    name = "site_data"
    verbose_name = "Site data (invalidation core)"

    def ready(self) -> None:
        from . import generation

        generation.watch_wagtail_core()
