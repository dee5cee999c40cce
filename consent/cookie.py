"""The consent cookie: the visitor's choice, signed by the server, readable (not verifiable) by the JS.

Format (the contract shared with the visitor side): ``PAYLOAD:SIGNATURE`` where PAYLOAD is
``1|<consent_id>|<registry_version>|<unix_seconds>|<granted non-essential keys joined by "+">`` and the
whole value is exactly ``Signer(salt="consent.cookie").sign(PAYLOAD)``.

Anything that is not a well-formed value with a valid signature is *no consent*: a missing, malformed,
truncated or tampered cookie never grants a category and never raises.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

COOKIE_FORMAT_VERSION = "1"
SIGNER_SALT = "consent.cookie"
CONSENT_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
CATEGORY_KEY_PATTERN = re.compile(r"[a-z0-9_-]+")
NUMBER_PATTERN = re.compile(r"[0-9]{1,12}")
# A real value is well under 300 characters; anything far longer is not ours.
MAX_COOKIE_LENGTH = 2048
# Times a cookie we issued can carry: after this site existed, and not in the future (a day of clock
# skew allowed). Anything else (a validly signed year 9999, say) is no consent, never an overflow.
EARLIEST_CHOICE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CLOCK_SKEW = datetime.timedelta(days=1)


def consent_cookie_name() -> str:
    return getattr(settings, "CONSENT_COOKIE_NAME", "cookie_consent")


def _signer() -> signing.Signer:
    return signing.Signer(salt=SIGNER_SALT)


@dataclass(frozen=True)
class ConsentCookie:
    """A verified consent cookie: who chose (pseudonymous id), under which registry version, when, what."""

    consent_id: str
    registry_version: int
    chosen_at: datetime.datetime
    granted: frozenset[str]

    def is_expired(self, lifetime_days: int, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.chosen_at + datetime.timedelta(days=lifetime_days) < now

    def is_current(
        self, registry_version: int, lifetime_days: int, now: datetime.datetime | None = None
    ) -> bool:
        """True when the choice still applies: same registry version and not past its lifetime."""
        return self.registry_version == registry_version and not self.is_expired(lifetime_days, now)


def encode_consent_cookie(
    consent_id: str, registry_version: int, chosen_at: datetime.datetime, granted: set[str] | frozenset[str]
) -> str:
    """The signed cookie value. Raises ValueError for values the contract does not allow."""
    if not CONSENT_ID_PATTERN.fullmatch(consent_id):
        raise ValueError("consent_id must match [A-Za-z0-9_-]{16,64}")
    if registry_version < 0:
        raise ValueError("registry_version must not be negative")
    for key in granted:
        if not CATEGORY_KEY_PATTERN.fullmatch(key):
            raise ValueError(f"category key {key!r} is not allowed in the consent cookie")
    payload = "|".join(
        [
            COOKIE_FORMAT_VERSION,
            consent_id,
            str(int(registry_version)),
            str(int(chosen_at.timestamp())),
            "+".join(sorted(granted)),
        ]
    )
    return _signer().sign(payload)


def decode_consent_cookie(value: object) -> ConsentCookie | None:
    """Verify and parse a cookie value; None for anything that is not exactly what we issue."""
    if not isinstance(value, str) or not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    try:
        payload = _signer().unsign(value)
    except signing.BadSignature:
        return None
    fields = payload.split("|")
    if len(fields) != 5:
        return None
    version_marker, consent_id, registry_version, unix_seconds, granted = fields
    if version_marker != COOKIE_FORMAT_VERSION or not CONSENT_ID_PATTERN.fullmatch(consent_id):
        return None
    if not NUMBER_PATTERN.fullmatch(registry_version) or not NUMBER_PATTERN.fullmatch(unix_seconds):
        return None
    keys = granted.split("+") if granted else []
    if any(not CATEGORY_KEY_PATTERN.fullmatch(key) for key in keys) or len(set(keys)) != len(keys):
        return None
    try:
        chosen_at = datetime.datetime.fromtimestamp(int(unix_seconds), tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if not EARLIEST_CHOICE <= chosen_at <= timezone.now() + CLOCK_SKEW:
        return None
    return ConsentCookie(
        consent_id=consent_id,
        registry_version=int(registry_version),
        chosen_at=chosen_at,
        granted=frozenset(keys),
    )


def read_consent_cookie(request: HttpRequest) -> ConsentCookie | None:
    """The visitor's verified consent cookie, or None when missing, malformed or tampered."""
    return decode_consent_cookie(request.COOKIES.get(consent_cookie_name()))


def set_consent_cookie(
    response: HttpResponseBase, request: HttpRequest, value: str, lifetime_days: int
) -> None:
    """First-party, readable by the page's JS (not HttpOnly), SameSite=Lax; Secure when the request
    came over HTTPS or ``CONSENT_COOKIE_SECURE`` says so (a plain-HTTP deployment keeps its cookie)."""
    response.set_cookie(
        consent_cookie_name(),
        value,
        max_age=lifetime_days * 24 * 60 * 60,
        path="/",
        secure=request.is_secure() or bool(getattr(settings, "CONSENT_COOKIE_SECURE", False)),
        httponly=False,
        samesite="Lax",
    )


def granted_categories(request: HttpRequest) -> frozenset[str]:
    """Non-essential category keys the visitor has granted *and that still apply*, for server-side use.

    Empty unless the cookie is verified, carries the current registry version and is within its
    lifetime; keys that are no longer live optional categories are dropped. Essential categories are
    always allowed and are not listed.
    """
    result: frozenset[str] = frozenset()
    cookie = read_consent_cookie(request)
    if cookie is not None:
        from .banner_data import banner_data

        data = banner_data()
        if cookie.is_current(data.registry_version, data.settings.consent_lifetime_days):
            optional_keys = {category.key for category in data.registry.optional_categories}
            result = frozenset(cookie.granted & optional_keys)
    return result
