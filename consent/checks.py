"""System checks: a malformed consent setting is reported at start-up, not on the first POST."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from security.rate_limit import parse_limits


def check_rate_limit_setting(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        parse_limits(settings.CONSENT_RATE_LIMIT, setting="CONSENT_RATE_LIMIT")
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="consent.E001")]
    return []
