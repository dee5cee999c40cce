from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent"

    def ready(self) -> None:
        # Connects the receivers that forget the cached CSP sources when scripts change.
        from . import csp  # noqa: F401
