"""Fixtures for the registry tests: small published registries and a cookie policy page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from cookie_registry.models import Cookie, CookieCategory, Provider, RetentionRule
from cookie_registry.versioning import one_registry_change

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


def publish(instance):
    """Create (or update) a registry entry and publish it, as the admin's Publish button does."""
    if instance.pk is None:
        instance.live = False
        instance.save()
    instance.save_revision().publish()
    return instance


def cookie(name: str, **fields: Any) -> Cookie:
    defaults: dict[str, Any] = {
        "purpose": f"What {name} is for.",
        "duration_unit": "days",
        "duration_value": 30,
    }
    defaults.update(fields)
    return Cookie(name=name, **defaults)


def make_category(
    key: str,
    name: str | None = None,
    *,
    essential: bool = False,
    cookies: Iterable[Cookie] = (),
    signals: Iterable[str] = (),
    order: int = 0,
    live: bool = True,
    **fields: Any,
) -> CookieCategory:
    category = CookieCategory(
        key=key,
        name=name or key.replace("_", " ").title(),
        purpose=fields.pop("purpose", f"Why we use {key} cookies."),
        is_essential=essential,
        default_enabled=essential,
        consent_mode_signals=list(signals),
        sort_order=order,
        **fields,
    )
    category.cookies = list(cookies)
    for position, item in enumerate(category.cookies.all()):
        item.sort_order = position
    if live:
        return publish(category)
    category.live = False
    category.save()
    category.save_revision()
    return category


def make_provider(name: str, url: str = "", live: bool = True) -> Provider:
    provider = Provider(name=name, privacy_policy_url=url or f"https://{name.lower()}.example/privacy")
    if live:
        return publish(provider)
    provider.live = False
    provider.save()
    return provider


def make_retention_rule(data_category: str, period: str, order: int = 0) -> RetentionRule:
    return publish(RetentionRule(data_category=data_category, period=period, sort_order=order))


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


@pytest.fixture
def small_registry(db):
    """Essential + analytics categories, Google as provider, one retention rule (registry version 1)."""
    with one_registry_change():
        return _build_small_registry()


def _build_small_registry() -> dict[str, Any]:
    google = make_provider("Google", "https://policies.google.com/privacy")
    necessary = make_category(
        "necessary",
        "Strictly Necessary",
        essential=True,
        cookies=[cookie("sessionid", duration_unit="session", duration_value=None)],
        signals=["security_storage"],
        order=1,
    )
    analytics = make_category(
        "analytics",
        "Analytics",
        cookies=[
            cookie("_ga", provider=google, duration_unit="years", duration_value=2),
            cookie("_gid", provider=google, duration_unit="days", duration_value=1),
        ],
        signals=["analytics_storage"],
        order=2,
    )
    rule = make_retention_rule("Contact form submissions", "12 months")
    return {"google": google, "necessary": necessary, "analytics": analytics, "rule": rule}
