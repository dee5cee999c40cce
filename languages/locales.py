"""Wagtail ``Locale`` rows follow ``SITE_LANGUAGES``: one per configured language."""

from typing import Any

from django.conf import settings


def ensure_site_locales(**kwargs: Any) -> None:
    """Create a ``Locale`` for each configured language that lacks one (run after ``migrate``)."""
    from wagtail.models import Locale

    existing = set(Locale.objects.values_list("language_code", flat=True))
    Locale.objects.bulk_create(
        Locale(language_code=code) for code, _name in settings.LANGUAGES if code not in existing
    )
