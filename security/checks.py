"""System checks: malformed security settings are reported at start-up, not on the first request."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .rate_limit import parse_limits


def check_security_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for network in getattr(settings, "TRUSTED_PROXY_NETWORKS", []):
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"TRUSTED_PROXY_NETWORKS must list networks like 10.0.0.0/8, not {network!r}.",
                    id="security.E001",
                )
            )
    try:
        parse_limits(settings.PASSWORD_RESET_RATE_LIMIT, setting="PASSWORD_RESET_RATE_LIMIT")
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="security.E002"))
    if getattr(settings, "TRUSTED_PROXY_COUNT", 0) < 0:
        errors.append(checks.Error("TRUSTED_PROXY_COUNT must not be negative.", id="security.E003"))
    return errors
