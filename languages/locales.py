"""Wagtail ``Locale`` rows follow ``SITE_LANGUAGES``: one per configured language."""

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def ensure_site_locales(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Create a ``Locale`` for each configured language that lacks one (run after ``migrate``)."""
    from wagtail.models import Locale

    existing = set(Locale.objects.using(using).values_list("language_code", flat=True))
    Locale.objects.using(using).bulk_create(
        Locale(language_code=code) for code, _name in settings.LANGUAGES if code not in existing
    )


def locale_languages() -> dict[int, str]:
    """Locale id → language code, shared per worker and site generation (no query after the first)."""
    from wagtail.models import Locale

    from site_data.generation import shared_per_generation

    return shared_per_generation(
        "languages.locale_codes", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def language_of(page: Any) -> str:
    """The language code of a page's locale, without a query (the default language if unknown)."""
    locale_id = getattr(page, "locale_id", None)
    code = locale_languages().get(locale_id or 0)
    if code is None and locale_id:  # a locale created since the map was read
        from wagtail.models import Locale

        code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    return code or settings.LANGUAGE_CODE
