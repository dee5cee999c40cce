"""Staff read the consent records report in Chromium: every record by default, names, a readable chart."""

from __future__ import annotations

import datetime

from django.utils import timezone

from consent.models import ConsentRecord


def add_record(consent_id: str, action: str, days_ago: int, version) -> None:
    created = timezone.now() - datetime.timedelta(days=days_ago)
    ConsentRecord(
        consent_id=consent_id,
        created_at=created,
        expires_at=created + datetime.timedelta(days=182),
        action=action,
        requested_action=action,
        granted=["analytics"] if action != "reject_all" else [],
        refused=[] if action != "reject_all" else ["analytics"],
        registry_version=version,
        registry_version_number=version.number,
        policy_versions_snapshot=[],
    ).save()


def test_staff_see_all_records_names_and_a_chart_with_axes(site_url, page, django_user_model):
    from cookie_registry.models import CookieCategory, RegistryVersion
    from cookie_registry.versioning import current_registry_version

    first = current_registry_version()
    second = RegistryVersion.objects.create(number=first.number + 1, snapshot={}, changes=[])
    add_record("browser-first-version", "accept_all", 2, first)
    add_record("browser-second-version", "reject_all", 1, second)
    analytics = CookieCategory.objects.get(key="analytics").name
    django_user_model.objects.create_superuser("auditor", "auditor@example.org", "pass-word-1")

    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", "pass-word-1")
    page.click("button[type=submit]")
    page.goto(f"{site_url}/admin/reports/consent-records/")

    table = page.locator("table.listing").last  # the records (the chart's numbers come first)
    assert table.get_by_text("browser-first-version").is_visible()
    assert table.get_by_text("browser-second-version").is_visible()
    assert page.locator("[data-filter-summary]").inner_text().startswith("Showing all records")
    assert page.get_by_text(analytics, exact=True).first.is_visible()
    chart = page.locator("[data-consent-chart] svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("text", has_text="Records per day").count() == 1
    assert chart.locator("text", has_text="Day (UTC)").count() == 1
    widths = [box["width"] for box in (bar.bounding_box() for bar in chart.locator("rect").all()) if box]
    assert len(widths) == 2
    assert max(widths) < 300  # two days do not make two half-screen slabs

    page.goto(f"{site_url}/admin/reports/consent-records/?registry_version_number={second.number}")
    assert page.locator("[data-filter-summary]").inner_text() == (
        f"Showing records where Registry version: {second.number}. 1 consent record."
    )
    assert page.locator("table.listing").last.get_by_text("browser-first-version").count() == 0
