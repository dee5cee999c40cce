"""A site with a registry of a chosen size, built with bulk_create so that 1,000 cookies take a moment."""

import datetime

import pytest

from django.conf import settings

from wagtail.models import Page, Site

from consent.models import ConsentSettings
from cookie_registry.models import (
    Cookie,
    CookieCategory,
    Party,
    Provider,
    RetentionRule,
    ThirdPartyScript,
)
from home.models import HomePage
from organisation.models import OrganisationSettings
from policy_pages.models import PolicyPage

CATEGORY_KEYS = ["necessary", "preferences", "analytics", "marketing", "social"]
REGISTRY_BLOCKS = [
    ("cookie_categories", {"caption": "Types of cookies"}),
    ("cookie_declarations", {"category": None, "caption": "Every cookie"}),
    ("third_party_providers", {"caption": "Third parties"}),
    ("retention_schedule", {"caption": "How long we keep data"}),
]


def build_registry(cookies: int) -> None:
    from cookie_registry.versioning import record_registry_change

    """Five live categories, ``cookies`` cookies spread over them, one provider per ten cookies."""
    categories = CookieCategory.objects.bulk_create(
        CookieCategory(
            key=key,
            name=key.title(),
            purpose=f"What {key} cookies are for.",
            is_essential=key == "necessary",
            default_enabled=key == "necessary",
            sort_order=index,
        )
        for index, key in enumerate(CATEGORY_KEYS)
    )
    providers = Provider.objects.bulk_create(
        Provider(name=f"Provider {number}", website=f"https://provider{number}.example/")
        for number in range(max(1, cookies // 10))
    )
    Cookie.objects.bulk_create(
        Cookie(
            category=categories[number % len(categories)],
            # The first is the consent cookie itself, as in every real registry (in "necessary").
            name=settings.CONSENT_COOKIE_NAME if number == 0 else f"cookie_{number}",
            provider=providers[number % len(providers)] if number % 2 else None,
            party=Party.THIRD if number % 2 else Party.FIRST,
            domain=f"provider{number % len(providers)}.example" if number % 2 else "",
            purpose=f"Purpose of cookie {number}.",
            duration_unit="days",
            duration_value=30,
            sort_order=number,
        )
        for number in range(cookies)
    )
    RetentionRule.objects.bulk_create(
        RetentionRule(data_category=f"Data kind {number}", period=f"{number + 1} years", sort_order=number)
        for number in range(5)
    )
    ThirdPartyScript.objects.bulk_create(
        ThirdPartyScript(
            name=f"Tag {number}", category=categories[2 + number], src=f"https://tags{number}.example/t.js"
        )
        for number in range(2)
    )
    record_registry_change()  # what a publish does: bulk_create sends no signals


def build_policy(home: HomePage, slug: str, title: str, versions: int) -> PolicyPage:
    page = home.add_child(
        instance=PolicyPage(
            title=title,
            slug=slug,
            show_in_menus=True,
            body=[("heading", {"text": "Cookies", "anchor": ""}), *REGISTRY_BLOCKS],
            effective_date=datetime.date(2026, 1, 1),
            change_summary="Version 1.",
        )
    )
    page.save_revision().publish()
    for number in range(2, versions + 1):
        page = PolicyPage.objects.get(pk=page.pk)
        page.body = [("paragraph", f"<p>Edition {number}.</p>"), *REGISTRY_BLOCKS]
        page.change_summary = f"Version {number}."
        page.effective_date = datetime.date(2026, 1, number)
        page.save_revision().publish()
    return page


@pytest.fixture
def sized_registry_site(db):
    """A factory, not the suite's ``registry``: call with (cookies, versions) for a site of that size
    (home, privacy and cookie policies over five categories and ``cookies`` cookies), for query budgets."""

    def build(*, cookies: int, versions: int) -> dict[str, PolicyPage]:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Home", slug="perf-home"))
        home.save_revision().publish()
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        OrganisationSettings.objects.create(legal_name="Budget Ltd", contact_email="hello@budget.example")
        ConsentSettings.load()
        build_registry(cookies)
        return {
            "privacy": build_policy(home, "privacy-policy", "Privacy Policy", versions),
            "cookie": build_policy(home, "cookie-policy", "Cookie Policy", versions),
        }

    return build
