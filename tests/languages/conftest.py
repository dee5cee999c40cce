"""Fixtures for the language tests."""

import pytest


@pytest.fixture(autouse=True)
def render_every_request(settings):
    """These tests compare rendered pages: every request renders (no page cache)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def english_demo(db):
    """The demo content loaded with English as the only language: no page or text translated yet.

    The tests translate what they need themselves, so they do not depend on the demo's wording.
    """
    from django.core.management import call_command
    from django.test import override_settings

    from policy_pages.models import PolicyPage

    english_only = [("en", "English")]
    with override_settings(LANGUAGES=english_only, WAGTAIL_CONTENT_LANGUAGES=english_only):
        call_command("load_demo_content", verbosity=0)

    def page(slug: str) -> PolicyPage:
        return PolicyPage.objects.get(slug=slug, locale__language_code="en")

    return {"cookie": page("cookie-policy"), "privacy": page("privacy-policy")}


@pytest.fixture
def cookie_policy(english_demo):
    """The English demo cookie policy, with no translation yet."""
    return english_demo["cookie"]
