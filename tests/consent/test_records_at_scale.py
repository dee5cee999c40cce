"""Consent records at scale: streamed exports in constant memory, export limits, batched resumable purge,
per-day counts, forgiving filters, and (on PostgreSQL) an index behind every report filter."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import tracemalloc
from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent import daily_counts, exporting
from consent.models import ConsentDailyCount, ConsentExport, ConsentRecord, ConsentRecordPolicyVersion
from cookie_registry.models import RegistryVersion

from .conftest import make_record

REPORT_URL = "/admin/reports/consent-records/"


def bulk_records(registry, count: int, *, days_ago: float = 1, same_time: bool = False, version=None) -> None:
    """``count`` records in one statement (the tests need many; HTTP would be slow)."""
    now = timezone.now() - datetime.timedelta(days=days_ago)
    version = version or registry.version
    actions = ["accept_all", "reject_all", "custom", "withdraw", "renewal"]
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            consent_id=f"bulk-{days_ago}-{number:08d}-{'x' * 16}",
            created_at=now if same_time else now - datetime.timedelta(seconds=number),
            expires_at=now + datetime.timedelta(days=182),
            action=actions[number % 5],
            requested_action="custom" if number % 5 == 4 else actions[number % 5],
            granted=["analytics"] if number % 2 else [],
            refused=["marketing"],
            registry_version=version,
            registry_version_number=version.number,
            policy_versions_snapshot=[{"title": "Privacy policy", "number": 2}],
            ip_network="198.51.100.0/24",
            user_agent_family="Firefox 150 / Windows",
        )
        for number in range(count)
    )


def peak_memory_of_export(queryset) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    size = 0
    for piece in exporting.csv_chunks(queryset):
        size += len(piece)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size > 0
    return peak


# -- streaming


def test_csv_export_is_a_generator_and_parses_back_in_report_order(admin_client, registry, settings):
    settings.CONSENT_EXPORT_CHUNK_ROWS = 7  # many keyset chunks
    bulk_records(registry, 40)

    response = admin_client.get(REPORT_URL, {"export": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert not isinstance(response.streaming_content, (list, tuple, bytes))
    body = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == 40
    assert len({row["Consent ID"] for row in rows}) == 40
    created = [row["Created at (UTC)"] for row in rows]
    assert created == sorted(created, reverse=True)


def test_keyset_pagination_loses_nothing_when_many_records_share_a_timestamp(registry, settings):
    settings.CONSENT_EXPORT_CHUNK_ROWS = 4
    bulk_records(registry, 23, same_time=True)

    rows = list(exporting.record_rows(ConsentRecord.objects.all()))

    assert len(rows) == 23
    assert len({row[1] for row in rows}) == 23


def test_export_memory_does_not_grow_with_the_number_of_rows(registry, settings):
    settings.CONSENT_EXPORT_CHUNK_ROWS = 100
    bulk_records(registry, 400, days_ago=1)
    small = peak_memory_of_export(
        ConsentRecord.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(days=2))
    )
    bulk_records(registry, 1200, days_ago=3)
    large = peak_memory_of_export(ConsentRecord.objects.all())  # 4× the rows

    assert ConsentRecord.objects.count() == 1600
    assert large < small * 1.5, (small, large)


def test_the_export_sha256_is_recorded_and_shown(admin_client, registry):
    bulk_records(registry, 12)

    response = admin_client.get(REPORT_URL, {"export": "csv", "action": "custom"})
    body = b"".join(response.streaming_content)

    export = ConsentExport.objects.get()
    assert export.sha256 == hashlib.sha256(body).hexdigest()
    assert export.rows == 2
    assert export.file_format == "csv"
    assert export.filters == "action=custom"
    assert export.created_by == "admin"
    assert export.sha256 in admin_client.get(REPORT_URL).content.decode()


def test_an_abandoned_export_records_nothing(registry, settings):
    settings.CONSENT_EXPORT_CHUNK_ROWS = 10
    bulk_records(registry, 500)
    stream = exporting.csv_chunks(
        ConsentRecord.objects.all(), on_finished=lambda result: pytest.fail("finished"), flush_bytes=1024
    )

    next(stream)
    stream.close()  # what the server does when the client goes away

    assert not ConsentExport.objects.exists()


def test_csv_cells_that_look_like_formulas_are_neutralised(registry):
    make_record(registry, "=HYPERLINK(evil)-0000", "accept_all", 1)

    text = b"".join(exporting.csv_chunks(ConsentRecord.objects.all())).decode()

    assert "'=HYPERLINK(evil)-0000" in text


# -- export limits


def test_xlsx_refuses_more_rows_than_a_sheet_holds_and_points_to_csv(admin_client, registry, settings):
    settings.CONSENT_XLSX_MAX_ROWS = 4  # stands for 1,048,575 without inserting a million rows
    bulk_records(registry, 5)

    response = admin_client.get(REPORT_URL, {"export": "xlsx"}, follow=True)

    assert response.redirect_chain[-1][0] == REPORT_URL
    text = response.content.decode()
    assert "An XLSX sheet holds at most 4 records" in text
    assert "Download CSV instead" in text
    assert not ConsentExport.objects.exists()


def test_xlsx_within_the_limit_downloads_with_its_hash(admin_client, registry, settings):
    from openpyxl import load_workbook

    settings.CONSENT_XLSX_MAX_ROWS = 5
    bulk_records(registry, 5)

    response = admin_client.get(REPORT_URL, {"export": "xlsx"})

    body = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 6
    assert (
        response["X-Content-SHA256"] == hashlib.sha256(body).hexdigest() == ConsentExport.objects.get().sha256
    )


def test_an_export_too_big_for_a_request_names_the_command_with_the_same_filters(
    admin_client, registry, settings
):
    settings.CONSENT_EXPORT_STREAM_MAX_ROWS = 3
    bulk_records(registry, 20)  # 4 of them "accept all"

    response = admin_client.get(
        REPORT_URL, {"export": "csv", "action": "accept_all", "q": "bulk"}, follow=True
    )

    text = response.content.decode()
    assert "More than 3 records match" in text
    assert "manage.py export_consent_records --format csv --action accept_all --consent-id bulk" in text


def test_the_export_command_writes_any_size_and_prints_the_hash(registry, settings, tmp_path):
    settings.CONSENT_EXPORT_STREAM_MAX_ROWS = 3
    settings.CONSENT_EXPORT_CHUNK_ROWS = 4
    bulk_records(registry, 10)
    target = tmp_path / "records.csv"
    err = StringIO()

    call_command("export_consent_records", "--output", str(target), "--action", "withdraw", stderr=err)

    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert f"SHA-256: {digest}" in err.getvalue()
    assert "Wrote 2 consent records" in err.getvalue()
    assert ConsentExport.objects.get().sha256 == digest
    assert len(list(csv.DictReader(io.StringIO(target.read_text())))) == 2


# -- purge


def test_purge_deletes_in_batches_oldest_first_with_links(registry, policy_version):
    old = [make_record(registry, f"old-record-{n:09d}", "reject_all", 400 + n) for n in range(5)]
    for record in old:
        ConsentRecordPolicyVersion.objects.create(record=record, policy_version=policy_version)
    make_record(registry, "fresh-record-0000001", "accept_all", 1)
    progress: list[int] = []

    deleted = ConsentRecord.objects.purge_created_before(
        timezone.now() - datetime.timedelta(days=365), batch_size=2, on_batch=progress.append
    )

    assert deleted == 5
    assert progress == [2, 4, 5]
    assert list(ConsentRecord.objects.values_list("consent_id", flat=True)) == ["fresh-record-0000001"]
    assert not ConsentRecordPolicyVersion.objects.exists()


def test_an_interrupted_purge_keeps_finished_batches_and_resumes_with_the_printed_cutoff(registry):
    for n in range(5):
        make_record(registry, f"old-record-{n:09d}", "reject_all", 400 + n)
    make_record(registry, "fresh-record-0000001", "accept_all", 1)
    cutoff = timezone.now() - datetime.timedelta(days=365)

    class Interrupted(Exception):
        pass

    def interrupt(deleted: int) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        ConsentRecord.objects.purge_created_before(cutoff, batch_size=2, on_batch=interrupt)
    assert ConsentRecord.objects.count() == 4  # the first batch (the two oldest) is gone for good
    assert not ConsentRecord.objects.filter(
        consent_id__in=["old-record-000000004", "old-record-000000003"]
    ).exists()

    out = StringIO()
    call_command("purge_consent_records", "--before", cutoff.isoformat(), "--batch-size", "2", stdout=out)

    assert f"--before {cutoff.isoformat()}" in out.getvalue()
    assert "Deleted 3 consent records" in out.getvalue()
    assert "rows/s" in out.getvalue()
    assert list(ConsentRecord.objects.values_list("consent_id", flat=True)) == ["fresh-record-0000001"]


def test_purge_reports_progress(registry):
    bulk_records(registry, 30, days_ago=400)
    out = StringIO()

    call_command(
        "purge_consent_records",
        "--older-than-days",
        "365",
        "--batch-size",
        "10",
        "--progress-every",
        "0",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert "Purging 30 consent records" in lines[0]
    assert [line.split(" of ")[0] for line in lines if line.startswith("…")] == ["… 10", "… 20", "… 30"]
    assert ConsentRecord.objects.count() == 0


def test_purge_keeps_the_stored_daily_counts_true(registry):
    bulk_records(registry, 10, days_ago=400)
    bulk_records(registry, 3, days_ago=2)
    daily_counts.count_closed_days()
    assert sum(ConsentDailyCount.objects.values_list("count", flat=True)) == 13

    call_command("purge_consent_records", "--older-than-days", "365", stdout=StringIO())

    assert sum(ConsentDailyCount.objects.values_list("count", flat=True)) == 3
    assert sum(sum(day.values()) for day in daily_counts.counts_per_day().values()) == 3


# -- daily counts and the chart


def test_closed_days_are_stored_once_and_today_is_counted_live(registry):
    bulk_records(registry, 4, days_ago=3)
    make_record(registry, "today-record-0000001", "custom", 0)

    counts = daily_counts.counts_per_day()

    assert sum(sum(day.values()) for day in counts.values()) == 5
    assert ConsentDailyCount.objects.filter(day__lt=timezone.now().date()).exists()
    assert not ConsentDailyCount.objects.filter(day=timezone.now().date()).exists()
    today = timezone.now().astimezone(datetime.UTC).date()
    assert counts[today] == {"custom": 1}
    three_days_ago = today - datetime.timedelta(days=3)
    assert daily_counts.counts_per_day(action="custom") == {
        three_days_ago: {"custom": 1},
        today: {"custom": 1},
    }
    assert daily_counts.counts_per_day(action="custom", day_to=three_days_ago) == {
        three_days_ago: {"custom": 1}
    }


def test_one_day_chart_is_a_single_narrow_bar_with_labelled_axes(admin_client, registry):
    bulk_records(registry, 3, days_ago=1)

    html = admin_client.get(REPORT_URL).content.decode()

    assert 'data-days="1"' in html
    assert 'width="48' in html  # not a full-width bar
    assert "Records per day" in html and "Day (UTC)" in html
    assert html.count("data-y-tick") == 5


def test_a_year_chart_has_a_bar_a_day_and_month_labels(registry):
    from consent.admin_views import choices_per_day

    start = datetime.date(2026, 1, 1)
    by_day = {start + datetime.timedelta(days=n): {"accept_all": n % 7 + 1} for n in range(365)}

    chart = choices_per_day(by_day)

    assert len(chart["bars"]) == 365
    assert [tick["label"] for tick in chart["x_ticks"]][:3] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert chart["y_max"] == 10 and chart["tallest"] == 7
    assert all(bar.x + bar.width <= chart["width"] for bar in chart["bars"])


# -- filters


def test_filters_default_to_all_values_across_registry_versions(admin_client, registry):
    second = RegistryVersion.objects.create(number=registry.version.number + 1, snapshot={}, changes=[])
    make_record(registry, "first-version-record", "accept_all", 2, ["analytics", "marketing", "preferences"])
    make_record(
        registry,
        "second-version-rec01",
        "accept_all",
        1,
        ["analytics", "marketing", "preferences"],
        version=second,
    )

    html = admin_client.get(REPORT_URL).content.decode()

    assert "first-version-record" in html and "second-version-rec01" in html
    assert "Showing all records (no filter)." in html
    # The form a browser submits keeps "all": the select's empty option exists and is the selected one
    # (a TypedChoiceFilter had none, so browsers sent the first option, the latest version).
    assert '<option value="" selected>All registry versions</option>' in html
    assert '<option value="" selected>All actions</option>' in html
    assert "Analytics, Marketing" in html  # names, not keys

    html = admin_client.get(REPORT_URL, {"action": "accept_all"}).content.decode()
    assert "first-version-record" in html and "second-version-rec01" in html
    assert "Showing records where Action: Accept all." in html


@pytest.mark.parametrize(
    "query",
    [
        {"action": "bogus"},
        {"registry_version_number": "abc"},
        {"registry_version_number": "999"},
        {"created_at_from": "not-a-date"},
        {"action": "'; DROP TABLE x; --"},
    ],
)
def test_an_invalid_filter_value_is_ignored_with_a_message(admin_client, registry, query):
    make_record(registry, "some-record-00000001", "accept_all", 1)

    response = admin_client.get(REPORT_URL, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "some-record-00000001" in html
    assert "data-ignored-filter" in html and "is not a valid choice" in html


def test_an_invalid_filter_drops_only_itself(admin_client, registry):
    second = RegistryVersion.objects.create(number=registry.version.number + 1, snapshot={}, changes=[])
    make_record(registry, "first-version-record", "accept_all", 2)
    make_record(registry, "second-version-rec01", "accept_all", 1, version=second)

    html = admin_client.get(
        REPORT_URL, {"action": "bogus", "registry_version_number": second.number}
    ).content.decode()

    assert "second-version-rec01" in html and "first-version-record" not in html


def test_search_matches_the_start_of_a_consent_id(admin_client, registry):
    make_record(registry, "AbCdEf-record-000001", "accept_all", 1)
    make_record(registry, "zzzzzz-AbCdEf-000002", "accept_all", 1)

    html = admin_client.get(REPORT_URL, {"q": "AbCdEf"}).content.decode()

    assert "AbCdEf-record-000001" in html and "zzzzzz-AbCdEf-000002" not in html
    assert "Consent ID starts with: AbCdEf" in html


def test_counts_are_capped(admin_client, registry, settings):
    settings.CONSENT_REPORT_COUNT_CAP = 10
    bulk_records(registry, 15)

    html = admin_client.get(REPORT_URL).content.decode()

    assert "More than 10 consent records" in html


# -- query plans (PostgreSQL)


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({}, "consent_record_created"),
        ({"action": "withdraw"}, "consent_record_action"),
        ({"registry_version_number": "__second__"}, "consent_record_registry"),
        ({"created_at_from": "__from__", "created_at_to": "__to__"}, "consent_record_created"),
        ({"q": "bulk-3-0000012"}, "consent_id"),
    ],
)
def test_each_report_filter_is_answered_from_an_index(admin_client, registry, query, index):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Query plans are checked on PostgreSQL: CI's second pass (DATABASE_URL=postgres://…) runs this."
        )
    second = RegistryVersion.objects.create(number=registry.version.number + 1, snapshot={}, changes=[])
    for days in range(1, 9):
        bulk_records(registry, 500, days_ago=days, version=second if days == 1 else None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consent_consentrecord")
    today = timezone.now().date()
    values = {
        "__second__": str(second.number),
        "__from__": (today - datetime.timedelta(days=3)).isoformat(),
        "__to__": (today - datetime.timedelta(days=2)).isoformat(),
    }
    query = {key: values.get(value, value) for key, value in query.items()}

    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(REPORT_URL, query).status_code == 200

    record_queries = [
        entry["sql"]
        for entry in captured.captured_queries
        if 'FROM "consent_consentrecord"' in entry["sql"] and "GROUP BY" not in entry["sql"]
    ]
    assert record_queries
    plans = []
    for sql in record_queries:
        with connection.cursor() as cursor:
            # A test-sized table is cheaper to scan whole; switching sequential scans off makes the plan
            # show which index serves the query (with none usable, it would still be a Seq Scan).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert not [plan for plan in plans if "Seq Scan on consent_consentrecord" in plan], plans
    assert any(index in plan for plan in plans), plans  # the filter's own index serves the page or the count


@pytest.mark.parametrize(
    "field", ["action", "registry_version_number", "created_at_from", "created_at_to", "p", "q"]
)
def test_no_filter_value_makes_the_report_fail(admin_client, registry, field):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    make_record(registry, "some-record-00000001", "accept_all", 1)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        value=st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
        )
    )
    def check(value: str) -> None:
        assert admin_client.get(REPORT_URL, {field: value}).status_code == 200

    check()


def test_the_export_command_refuses_xlsx_beyond_a_sheet(registry, settings, tmp_path):
    from django.core.management import CommandError

    settings.CONSENT_XLSX_MAX_ROWS = 4
    bulk_records(registry, 5)

    with pytest.raises(CommandError, match="more than an XLSX sheet holds: use --format csv"):
        call_command("export_consent_records", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    call_command(
        "export_consent_records",
        "--format",
        "xlsx",
        "--action",
        "custom",
        "--output",
        str(tmp_path / "r.xlsx"),
        stderr=StringIO(),
    )
    assert ConsentExport.objects.get().rows == 1


def test_an_interrupted_purge_command_says_how_to_resume_and_keeps_the_daily_counts_true(
    registry, monkeypatch
):
    import time

    from django.core.management import CommandError

    bulk_records(registry, 10, days_ago=400)
    bulk_records(registry, 3, days_ago=2)
    daily_counts.count_closed_days()

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupt)  # Ctrl-C during the pause after the first batch
    with pytest.raises(CommandError, match=r"Interrupted after deleting 4 records .* --before "):
        call_command(
            "purge_consent_records", "--older-than-days", "365", "--batch-size", "4", stdout=StringIO()
        )

    assert ConsentRecord.objects.count() == 9
    assert sum(ConsentDailyCount.objects.values_list("count", flat=True)) == 9
