"""A demo site with gated scripts that misbehave, for the scanner tests."""

import pytest

from django.core.management import call_command

UNDECLARED_SCRIPT = """(function () {
  document.cookie = "tracker_uid=42; Max-Age=2592000; path=/; SameSite=Lax";
})();"""
# Declared in Marketing for one day, written for 30 days on a path the banner's clean-up never visits.
STICKY_SCRIPT = """(function () {
  document.cookie = "mk_sticky=1; Max-Age=2592000; path=/cookie-policy/; SameSite=Lax";
})();"""


def publish_script(name: str, category_key: str, *, code: str = "", src: str = "") -> None:
    from cookie_registry.models import CookieCategory, ThirdPartyScript

    script = ThirdPartyScript(
        name=name, category=CookieCategory.objects.get(key=category_key), inline_code=code, src=src
    )
    script.save()
    script.save_revision().publish()


def declare_cookie(category_key: str, **fields) -> None:
    from cookie_registry.models import Cookie, CookieCategory

    category = CookieCategory.objects.get(key=category_key)
    category.cookies.add(Cookie(**fields))
    category.save_revision().publish()


@pytest.fixture
def misbehaving_site(live_server, transactional_db):
    """The demo site plus: an analytics tag that sets an undeclared cookie, a marketing tag that keeps
    a cookie after withdrawal (and longer than declared), a tag from an undeclared host."""
    call_command("load_demo_content", verbosity=0)
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    publish_script("Tracker pixel", "analytics", code=UNDECLARED_SCRIPT)
    declare_cookie(
        "marketing", name="mk_sticky", purpose="Test", duration_unit="days", duration_value=1, party="first"
    )
    publish_script("Sticky marketing tag", "marketing", code=STICKY_SCRIPT)
    publish_script("Unknown widget", "social_media", src="https://widgets.tracker.invalid/widget.js")
    return live_server.url
