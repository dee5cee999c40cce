"""scan_cookies without a browser: the lock, --if-changed; import_known_cookies; the bundled table."""

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from cookie_scanner.known_cookies import BUNDLED_CSV, OCD_COLUMNS, bundled_rows, lookup
from cookie_scanner.models import KnownCookie, ScanLock, ScanReport, ScanStatus
from cookie_scanner.runner import LOCK_KEY, ScanRefused, published_fingerprint, run_scan, scan_lock


def test_a_second_scan_while_one_runs_is_refused_with_one_sentence(db):
    with scan_lock(time_limit=60):
        with pytest.raises(ScanRefused) as refusal:
            run_scan(paths=["/"])
        with pytest.raises(CommandError) as command_error:
            call_command("scan_cookies", "--pages", "1")
    message = str(command_error.value)
    assert message == str(refusal.value)
    assert message.startswith("A cookie scan is already running since ")
    assert message.count(". ") == 0 and message.endswith("finished.")
    assert not ScanLock.objects.exists()  # released
    assert not ScanReport.objects.exists()  # nothing started


def test_a_crashed_scans_lock_is_taken_over_once_stale(db):
    ScanLock.objects.create(
        key=LOCK_KEY, started_at=timezone.now() - timezone.timedelta(hours=2), holder="gone:1"
    )
    with scan_lock(time_limit=60):
        assert ScanLock.objects.get().holder != "gone:1"


def test_if_changed_skips_until_something_is_published(demo_site):
    ScanReport.objects.create(base_url="x", status=ScanStatus.CLEAN, fingerprint=published_fingerprint())
    outcome = run_scan(if_changed=True)
    assert outcome.skipped.startswith("Nothing was published")

    demo_site.title = "Privacy at Northwind, renamed"
    demo_site.save_revision().publish()
    # Something changed: the scan would run (here it meets a held lock, which proves it did not skip).
    with scan_lock(time_limit=60), pytest.raises(ScanRefused):
        run_scan(if_changed=True)


def test_bundled_known_cookies_cover_the_required_vendors():
    rows = bundled_rows()
    assert len(rows) >= 50
    platforms = {row.platform for row in rows}
    for vendor in ("Google Analytics", "Google Ads", "Meta", "LinkedIn", "Hotjar", "Microsoft Clarity"):
        assert vendor in platforms
    for vendor in ("HubSpot", "YouTube", "Vimeo", "This site"):
        assert vendor in platforms
    assert BUNDLED_CSV.read_text().splitlines()[0].split(",")[:3] == OCD_COLUMNS[:3]
    assert lookup("_ga_ABC123", list(rows)).platform == "Google Analytics"  # wildcard prefix
    assert lookup("_ga", list(rows)).name == "_ga"  # exact wins


def test_import_known_cookies_adds_and_updates_rows(db, tmp_path):
    source = tmp_path / "ocd.csv"
    source.write_text(
        ",".join(OCD_COLUMNS)
        + "\n"
        + "id1,Acme Analytics,Analytics,acme_id,acme.test,Counts visits,1 year,Acme,,0\n"
        + "id2,Acme Analytics,Marketing,acme_ad_,acme.test,Ads,30 days,Acme,,1\n"
    )
    call_command("import_known_cookies", str(source), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert KnownCookie.objects.get(name="acme_ad_").wildcard is True
    source.write_text(
        ",".join(OCD_COLUMNS) + "\nid1,Acme Analytics,Marketing,acme_id,acme.test,x,1 year,Acme,,0\n"
    )
    call_command("import_known_cookies", str(source), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert KnownCookie.objects.count() == 2
    assert KnownCookie.objects.get(name="acme_id").category == "Marketing"


def test_import_known_cookies_refuses_a_file_without_the_columns(db, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("name,category\nx,y\n")
    with pytest.raises(CommandError, match="lacks the Open Cookie Database column"):
        call_command("import_known_cookies", str(source))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_known_cookies", str(tmp_path / "missing.csv"))
    assert not KnownCookie.objects.exists()
