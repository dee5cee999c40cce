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
