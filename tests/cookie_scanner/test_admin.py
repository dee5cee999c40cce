"""Reports › Cookie scans, CSV export, the dashboard panel and "add as draft cookie" (HTTP level)."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from django.urls import reverse

from cookie_registry.models import Cookie, CookieCategory
from cookie_scanner.models import FindingKind, ScanFinding, ScanReport, ScanStatus


@pytest.fixture
def scans(demo_site):
    old = ScanReport.objects.create(base_url="x", status=ScanStatus.CLEAN, pages=["/"], states=["none"])
    ScanFinding.objects.create(report=old, kind=FindingKind.NEVER_SEEN, name="old_finding")
    report = ScanReport.objects.create(base_url="x", status=ScanStatus.FINDINGS, pages=["/"], states=["none"])
    undeclared = ScanFinding.objects.create(
        report=report,
        kind=FindingKind.UNDECLARED,
        name="_hjSessionUser_123",
        page="/",
        state="accept_all",
        setter="script “Hotjar” (analytics)",
        suggested_category="analytics",
        suggested_provider="Hotjar",
        evidence={"domain": "127.0.0.1", "expires_in_days": 365.0},
    )
    ScanFinding.objects.create(
        report=report, kind=FindingKind.BEFORE_CONSENT, name="=HYPERLINK(1)", page="/", state="none"
    )
    return report, undeclared


def test_report_shows_the_latest_scan_with_filters_and_actions(admin_client, scans):
    report, undeclared = scans
    response = admin_client.get(reverse("cookie_scans_report"))
    assertContains(response, "_hjSessionUser_123")
    assertNotContains(response, "old_finding")
    assertContains(response, reverse("cookie_scans_add_draft", args=[undeclared.pk]))
    filtered = admin_client.get(reverse("cookie_scans_report"), {"kind": "before_consent"})
    assertNotContains(filtered, "_hjSessionUser_123")
    older = admin_client.get(reverse("cookie_scans_report"), {"report": report.pk - 1})
    assertContains(older, "old_finding")


def test_csv_export_neutralises_formulas(admin_client, scans):
    response = admin_client.get(reverse("cookie_scans_report"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert "_hjSessionUser_123" in body
    xlsx = admin_client.get(reverse("cookie_scans_report"), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_report_needs_the_view_permission(client, django_user_model, scans):
    user = django_user_model.objects.create_user("editor", password="pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("cookie_scans_report")).status_code in (302, 403)
    assert client.get(reverse("cookie_scans_add_draft", args=[scans[1].pk])).status_code in (302, 403)


def test_dashboard_panel_shows_the_last_scan(admin_client, scans):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assertContains(response, "data-cookie-scan-panel")
    assertContains(response, "Findings")
    assertContains(response, f"?report={scans[0].pk}")


def test_add_as_draft_creates_an_unpublished_revision(admin_client, scans):
    _, undeclared = scans
    analytics = CookieCategory.objects.get(key="analytics")
    live_before = list(Cookie.objects.filter(category=analytics).values_list("name", flat=True))
    url = reverse("cookie_scans_add_draft", args=[undeclared.pk])
    page = admin_client.get(url)
    assertContains(page, 'value="analytics" selected')
    response = admin_client.post(url, {"category": "analytics"})
    assert response.status_code == 302
    analytics.refresh_from_db()
    assert analytics.has_unpublished_changes
    assert list(Cookie.objects.filter(category=analytics).values_list("name", flat=True)) == live_before
    draft = analytics.get_latest_revision_as_object()
    (added,) = [cookie for cookie in draft.cookies.all() if cookie.name == "_hjSessionUser_123"]
    assert (added.duration_unit, added.duration_value) == ("years", 1)  # from the known-cookies table
    assert added.purpose == "Hotjar user id for a site."
    # Twice does not add it twice.
    admin_client.post(url, {"category": "analytics"})
    draft = CookieCategory.objects.get(key="analytics").get_latest_revision_as_object()
    assert [cookie.name for cookie in draft.cookies.all()].count("_hjSessionUser_123") == 1


def test_only_undeclared_findings_have_the_action(admin_client, scans):
    other = ScanFinding.objects.exclude(kind=FindingKind.UNDECLARED).first()
    assert admin_client.get(reverse("cookie_scans_add_draft", args=[other.pk])).status_code == 404
