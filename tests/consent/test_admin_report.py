"""The "Consent records" report: permissions, filters, search, exports, chart, and no way to edit."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from django.contrib.auth.models import Permission
from django.utils import timezone

from consent.models import ConsentRecord, ConsentRecordIsAppendOnly

from .conftest import make_record

REPORT_URL = "/admin/reports/consent-records/"


@pytest.fixture
def records(registry):
    from cookie_registry.models import RegistryVersion

    second = RegistryVersion.objects.create(number=registry.version.number + 1, snapshot={}, changes=[])
    return [
        make_record(
            registry, "aaaaaaaaaaaaaaaa-accept", "accept_all", 1, ["analytics", "marketing", "preferences"]
        ),
        make_record(registry, "bbbbbbbbbbbbbbbb-reject", "reject_all", 1),
        make_record(registry, "cccccccccccccccc-custom", "custom", 3, ["analytics"], language="de"),
        make_record(registry, "dddddddddddddddd-withdr", "withdraw", 10, version=second),
        make_record(
            registry, "eeeeeeeeeeeeeeee-old000", "accept_all", 40, ["analytics", "marketing", "preferences"]
        ),
    ]


def shown_consent_ids(response) -> set[str]:
    html = response.content.decode()
    return {record.consent_id for record in ConsentRecord.objects.all() if record.consent_id in html}


def test_superuser_sees_every_record_and_the_chart(admin_client, records):
    response = admin_client.get(REPORT_URL)

    assert response.status_code == 200
    assert shown_consent_ids(response) == {record.consent_id for record in records}
    html = response.content.decode()
    assert "data-consent-chart" in html
    assert html.count('data-action="Accept all"') == 2  # two days with an accept_all


def test_report_is_in_the_reports_menu(admin_client, records):
    response = admin_client.get("/admin/")

    assert REPORT_URL in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "withdraw"}, {"dddddddddddddddd-withdr"}),
        ({"registry_version_number": "2"}, {"dddddddddddddddd-withdr"}),
        ({"q": "bbbbbbbb"}, {"bbbbbbbbbbbbbbbb-reject"}),
        ({"language": "de"}, {"cccccccccccccccc-custom"}),
    ],
)
def test_filters_and_search(admin_client, records, query, expected):
    response = admin_client.get(REPORT_URL, query)

    assert response.status_code == 200
    assert shown_consent_ids(response) == expected


def test_date_range_filter(admin_client, records):
    today = timezone.now().date()
    response = admin_client.get(
        REPORT_URL,
        {
            "created_at_from": (today - datetime.timedelta(days=5)).isoformat(),
            "created_at_to": today.isoformat(),
        },
    )

    assert shown_consent_ids(response) == {
        "aaaaaaaaaaaaaaaa-accept",
        "bbbbbbbbbbbbbbbb-reject",
        "cccccccccccccccc-custom",
    }


def test_csv_export_parses_back(admin_client, records):
    response = admin_client.get(REPORT_URL, {"export": "csv", "action": "accept_all"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Consent ID"] for row in rows} == {"aaaaaaaaaaaaaaaa-accept", "eeeeeeeeeeeeeeee-old000"}
    row = next(row for row in rows if row["Consent ID"] == "aaaaaaaaaaaaaaaa-accept")
    assert row["Action"] == "accept_all"
    assert row["Granted"] == "Analytics, Marketing, Preferences"  # category names, not keys
    assert row["Policy versions"] == "Privacy policy v2"
    assert row["IP network"] == "198.51.100.0/24"
    assert row["Language"] == "en"


def test_language_filter_names_itself_charts_and_exports(admin_client, records):
    response = admin_client.get(REPORT_URL, {"language": "de"})
    html = response.content.decode()
    assert "Language: Deutsch" in html
    assert html.count('data-action="Custom') >= 1 and 'data-action="Accept all"' not in html
    text = b"".join(admin_client.get(REPORT_URL, {"export": "csv", "language": "de"}).streaming_content)
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    assert [(row["Consent ID"], row["Language"]) for row in rows] == [("cccccccccccccccc-custom", "de")]


def test_xlsx_export_parses_back(admin_client, records):
    response = admin_client.get(REPORT_URL, {"export": "xlsx"})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert "Consent ID" in header and "Registry version" in header
    consent_ids = {row[header.index("Consent ID")] for row in data}
    assert consent_ids == {record.consent_id for record in records}
    assert all(isinstance(row[header.index("Created at (UTC)")], datetime.datetime) for row in data)


def test_editors_without_the_permission_cannot_see_the_report(client, django_user_model, records):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "password")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    assert client.get(REPORT_URL).status_code in (302, 403)
    assert REPORT_URL not in client.get("/admin/").content.decode()


def test_view_permission_is_enough(client, django_user_model, records):
    auditor = django_user_model.objects.create_user("auditor", "auditor@example.org", "password")
    auditor.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_consentrecord")
    )
    client.force_login(auditor)

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    assert shown_consent_ids(response) == {record.consent_id for record in records}


def test_anonymous_visitors_are_sent_to_the_login(client, records):
    response = client.get(REPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_records_cannot_be_changed_or_deleted(records):
    record = records[0]
    record.action = "reject_all"

    with pytest.raises(ConsentRecordIsAppendOnly):
        record.save()
    with pytest.raises(ConsentRecordIsAppendOnly):
        record.delete()
    with pytest.raises(ConsentRecordIsAppendOnly):
        ConsentRecord.objects.filter(pk=record.pk).update(action="reject_all")
    with pytest.raises(ConsentRecordIsAppendOnly):
        ConsentRecord.objects.all().delete()
    assert ConsentRecord.objects.get(pk=record.pk).action == "accept_all"
    assert ConsentRecord.objects.count() == len(records)


def test_there_are_no_edit_or_delete_views_in_the_admin(admin_client, records):
    record = records[0]
    for url in (
        f"/admin/snippets/consent/consentrecord/edit/{record.pk}/",
        f"/admin/snippets/consent/consentrecord/delete/{record.pk}/",
        f"/admin/reports/consent-records/{record.pk}/",
    ):
        assert admin_client.get(url).status_code == 404
