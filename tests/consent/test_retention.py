"""manage.py purge_consent_records: deletes only records past retention, reports the count, repeatable."""

from __future__ import annotations

from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from consent.models import ConsentRecord, ConsentRecordPolicyVersion, ConsentSettings

from .conftest import choice, make_record, post_json


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_consent_records", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def aged_records(registry):
    return {
        "fresh": make_record(
            registry, "fresh-record-0000001", "accept_all", 1, ["analytics", "marketing", "preferences"]
        ),
        "young": make_record(registry, "young-record-0000001", "custom", 29, ["analytics"]),
        "old": make_record(registry, "old-record-000000001", "reject_all", 31),
        "ancient": make_record(registry, "ancient-record-00001", "withdraw", 2000),
    }


def test_default_period_comes_from_consent_settings(aged_records):
    ConsentSettings.objects.update(record_retention_days=1095)

    output = purge()

    assert "Deleted 1 consent record " in output
    assert "older than 1095 days" in output
    assert set(ConsentRecord.objects.values_list("consent_id", flat=True)) == {
        "fresh-record-0000001",
        "young-record-0000001",
        "old-record-000000001",
    }


def test_older_than_days_deletes_only_older_records_and_is_idempotent(aged_records):
    first = purge("--older-than-days", "30", "--batch-size", "1")
    second = purge("--older-than-days", "30")

    assert "Deleted 2 consent records" in first
    assert "Deleted 0 consent records" in second
    assert set(ConsentRecord.objects.values_list("consent_id", flat=True)) == {
        "fresh-record-0000001",
        "young-record-0000001",
    }


def test_dry_run_counts_and_deletes_nothing(aged_records):
    output = purge("--older-than-days", "30", "--dry-run")

    assert "would delete 2 consent records" in output
    assert ConsentRecord.objects.count() == 4


def test_links_to_policy_versions_go_with_the_record_and_the_policy_version_stays(
    client, registry, policy_version
):
    post_json(client, choice("reject_all", [], registry.version.number))
    make_record(registry, "old-record-000000001", "reject_all", 400)
    old = ConsentRecord.objects.get(consent_id="old-record-000000001")
    ConsentRecordPolicyVersion.objects.create(record=old, policy_version=policy_version)

    output = purge("--older-than-days", "365")

    assert "Deleted 1 consent record " in output
    assert ConsentRecordPolicyVersion.objects.count() == 1  # the fresh record's link
    policy_version.refresh_from_db()  # still there: PROTECT keeps the text a record pointed to


@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_bad_period_is_a_clear_error(registry, value):
    with pytest.raises(CommandError):
        purge("--older-than-days", value)
