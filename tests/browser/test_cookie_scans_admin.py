"""An editor's path through the cookie scan results in real Chromium: dashboard panel, report, draft."""

import pytest

from cookie_scanner.models import FindingKind, ScanFinding, ScanReport, ScanStatus


@pytest.fixture
def editor_page(site_url, page, django_user_model):
    django_user_model.objects.create_superuser("scanadmin", "scan@example.org", "correct horse battery")
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill("scanadmin")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site_url + "/admin/")
    return page


@pytest.fixture
def scan_with_undeclared(site_url):
    report = ScanReport.objects.create(
        base_url=site_url, status=ScanStatus.FINDINGS, pages=["/"], states=["none", "accept_all"]
    )
    ScanFinding.objects.create(
        report=report,
        kind=FindingKind.UNDECLARED,
        name="_clck",
        page="/",
        state="accept_all",
        setter="script “Clarity” (analytics)",
        suggested_category="analytics",
        suggested_provider="Microsoft",
        evidence={"domain": "localhost", "expires_in_days": 365.0},
    )
    ScanFinding.objects.create(
        report=report, kind=FindingKind.NEVER_SEEN, name="_gid", category_key="analytics"
    )
    return report


def test_editor_sees_the_panel_filters_the_report_and_adds_a_draft_cookie(
    site_url, editor_page, scan_with_undeclared
):
    page = editor_page
    page.goto(site_url + "/admin/")
    panel = page.locator("[data-cookie-scan-panel]")
    panel.wait_for()
    assert "Findings" in panel.inner_text()
    assert "Undeclared: 1" in panel.inner_text()
    panel.get_by_role("link", name="See the findings").click()

    page.wait_for_url("**/admin/reports/cookie-scans/**")
    table = page.locator("table.listing").nth(1)
    assert "_clck" in table.inner_text() and "_gid" in table.inner_text()
    page.goto(site_url + "/admin/reports/cookie-scans/?kind=undeclared")
    filtered = page.locator("table.listing").nth(1).inner_text()
    assert "_clck" in filtered and "_gid" not in filtered

    page.get_by_role("link", name="Add as draft cookie").click()
    assert page.get_by_label("Category").input_value() == "analytics"
    page.get_by_role("button", name="Add as draft cookie").click()
    page.wait_for_url("**/admin/snippets/cookie_registry/cookiecategory/edit/**")
    assert "was added to a draft of “Analytics”" in page.locator("body").inner_text()
    # The editor lands on the category's edit view with the cookie in the form, ready to submit.
    names = [field.input_value() for field in page.locator("input[name$='-name']").all()]
    assert "_clck" in names
    from cookie_registry.models import Cookie, CookieCategory

    assert not Cookie.objects.filter(name="_clck").exists()  # not published
    assert CookieCategory.objects.get(key="analytics").has_unpublished_changes
