"""consent.cookie.granted_categories(request): the server's view of what a visitor allows right now."""

from __future__ import annotations

import datetime

from django.conf import settings

from consent.cookie import encode_consent_cookie, granted_categories


def request_with_cookie(rf, value: str | None):
    request = rf.get("/")
    if value is not None:
        request.COOKIES[settings.CONSENT_COOKIE_NAME] = value
    return request


def now() -> datetime.datetime:
    return datetime.datetime.now(tz=datetime.UTC)


def test_current_choice_grants_its_optional_categories(rf, registry):
    value = encode_consent_cookie("server-side-state-01", registry.version.number, now(), {"analytics"})

    assert granted_categories(request_with_cookie(rf, value)) == {"analytics"}


def test_nothing_is_granted_without_a_valid_current_choice(rf, registry):
    from cookie_registry.models import RegistryVersion

    current = registry.version.number
    expired = encode_consent_cookie(
        "server-side-state-02", current, now() - datetime.timedelta(days=400), {"analytics"}
    )
    tampered = encode_consent_cookie("server-side-state-03", current, now(), {"analytics"}).replace(
        "analytics", "marketing"
    )
    removed_key = encode_consent_cookie("server-side-state-04", current, now(), {"analytics", "gone"})

    assert granted_categories(request_with_cookie(rf, None)) == frozenset()
    assert granted_categories(request_with_cookie(rf, expired)) == frozenset()
    assert granted_categories(request_with_cookie(rf, tampered)) == frozenset()
    assert granted_categories(request_with_cookie(rf, removed_key)) == {"analytics"}

    outdated = encode_consent_cookie("server-side-state-05", current, now(), {"analytics"})
    RegistryVersion.objects.create(number=current + 1, snapshot={}, changes=["New category: X"])
    assert granted_categories(request_with_cookie(rf, outdated)) == frozenset()
