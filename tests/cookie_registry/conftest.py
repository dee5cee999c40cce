"""Fixtures for the registry tests: a home page and a cookie policy page (the registry is tests/fixtures)."""

from __future__ import annotations

import pytest

COOKIE_POLICY_BODY = [
    ("heading", {"text": "Types of cookies", "anchor": "types"}),
    ("cookie_categories", {"caption": "Types of cookies we use"}),
    ("heading", {"text": "Cookies on this site", "anchor": "declarations"}),
    ("cookie_declarations", {"category": None, "caption": ""}),
    ("heading", {"text": "Third parties", "anchor": "third-parties"}),
    ("third_party_providers", {"caption": "Third parties that set cookies on this site"}),
    ("heading", {"text": "Retention", "anchor": "retention"}),
    ("retention_schedule", {"caption": "How long we keep your data"}),
]


@pytest.fixture
def home_page(db):
    from home import demo_content as home_demo

    return home_demo.load()


@pytest.fixture
def cookie_policy_page(home_page):
    """A live cookie policy at /cookie-policy/ with the four registry blocks."""
    from policy_pages.models import PolicyPage

    page = home_page.add_child(
        instance=PolicyPage(title="Cookie Policy", slug="cookie-policy", body=COOKIE_POLICY_BODY)
    )
    page.save_revision().publish()
    return page
