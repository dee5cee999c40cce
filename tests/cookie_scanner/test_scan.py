"""The scan in real Chromium against a live server: each kind of finding with its page, state and setter."""

import io
import json
import socket

import pytest

from django.core.management import call_command

from cookie_scanner.browser_scan import ScanSettings
from cookie_scanner.models import FindingKind, ScanFinding, ScanReport, ScanStatus
from cookie_scanner.runner import run_scan

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.cookie_scanner.urls")]

PATHS = ["/", "/scan-fixture/tracker/", "/cookie-policy/"]


def findings_of(findings, kind, name=None):
    return [f for f in findings if f.kind == kind and (name is None or f.name == name)]


def test_scan_reports_each_kind_with_page_state_and_setter(misbehaving_site):
    outcome = run_scan(base_url=misbehaving_site, paths=PATHS, scan_settings=ScanSettings(settle_ms=200))
    findings = outcome.findings

    # A gated analytics tag sets a cookie the registry does not declare.
    (undeclared,) = findings_of(findings, FindingKind.UNDECLARED, "tracker_uid")
    assert undeclared.page == "/"
    assert undeclared.state == "accept_all"
    assert undeclared.setter == "script “Tracker pixel” (analytics)"
    assert undeclared.evidence["expires_in_days"] == pytest.approx(30, abs=1)

    # The hard-coded tracker writes storage and a cookie before any choice, and again after refusal.
    (early_storage,) = findings_of(findings, FindingKind.BEFORE_CONSENT, "early_tracker")
    assert (early_storage.page, early_storage.state, early_storage.storage_type) == (
        "/scan-fixture/tracker/",
        "none",
        "local_storage",
    )
    assert (
        early_storage.setter == "script http://" + misbehaving_site.split("://")[1] + "/scan-fixture/early.js"
    )
    assert {f.state for f in findings_of(findings, FindingKind.AFTER_REFUSAL, "early_uid")} >= {"reject_all"}
    # A cookie from the server's response is attributed to that response.
    (server,) = findings_of(findings, FindingKind.UNDECLARED, "server_uid")
    assert (server.page, server.state) == ("/scan-fixture/tracker/", "none")
    assert server.setter == f"Set-Cookie from {misbehaving_site}/scan-fixture/tracker/"

    # The marketing tag's cookie survives withdrawal, and lives 30 days where 1 is declared.
    (kept,) = findings_of(findings, FindingKind.NOT_CLEARED, "mk_sticky")
    assert kept.state == "withdrawn"
    assert kept.category_key == "marketing"
    assert kept.evidence["path"] == "/cookie-policy/"
    (longer,) = findings_of(findings, FindingKind.LONGER_THAN_DECLARED, "mk_sticky")
    assert longer.evidence["declared_days"] == 1
    assert longer.setter == "script “Sticky marketing tag” (marketing)"

    # Declared cookies are honoured, patterns included: _ga_DEMO is covered by _ga_*.
    names = {f.name for f in findings if f.kind != FindingKind.NEVER_SEEN}
    assert not {"_ga", "_ga_DEMO", "_fbp", "cookie_consent", "display_preferences"} & names
    never_seen = {f.name for f in findings_of(findings, FindingKind.NEVER_SEEN)}
    assert "_gid" in never_seen and "_ga_*" not in never_seen and "mk_sticky" not in never_seen

    # The social media tag's host is on no provider: attempted (blocked by the scanner), reported.
    (host,) = findings_of(findings, FindingKind.UNDECLARED_HOST, "widgets.tracker.invalid")
    assert host.evidence["attempted"] is True and host.evidence["failure"]
    assert host.state in {"accept_all", "only:social_media"}

    # Stored append-only, with the report completed.
    report = outcome.report
    assert report.status == ScanStatus.FINDINGS
    assert report.pages == PATHS
    assert {"none", "reject_all", "accept_all", "withdrawn", "only:analytics"} <= set(report.states)
    assert ScanFinding.objects.filter(report=report).count() == len(findings)
    stored = ScanFinding.objects.get(report=report, kind=FindingKind.UNDECLARED, name="tracker_uid")
    with pytest.raises(ValueError, match="append-only"):
        stored.save()
    # A scan never changes the registry by itself.
    from cookie_registry.models import Cookie

    assert not Cookie.objects.filter(name="tracker_uid").exists()


def test_failures_are_reported_per_page_and_the_scan_goes_on(misbehaving_site):
    paths = ["/", "/scan-fixture/broken/", "/scan-fixture/throws/", "/scan-fixture/slow/"]
    outcome = run_scan(
        base_url=misbehaving_site,
        paths=paths,
        scan_settings=ScanSettings(page_timeout=3, settle_ms=50, only_states=["none", "reject_all"]),
    )
    errors = findings_of(outcome.findings, FindingKind.PAGE_ERROR)
    reasons = {(f.page, f.name.split(":")[0]) for f in errors if f.state == "none"}
    assert ("/scan-fixture/broken/", "the page answered HTTP 500") in reasons
    assert ("/scan-fixture/throws/", "a script threw") in reasons
    assert ("/scan-fixture/slow/", "the page did not load") in reasons
    # The other pages were still scanned: the demo's _gid is still the only declared cookie never seen
    # among the essential ones' neighbours, and the consent cookie was set by the choice.
    assert outcome.report.states == ["none", "reject_all"]
    assert not findings_of(outcome.findings, FindingKind.NEVER_SEEN, "cookie_consent")
    assert outcome.report.page_error_count == len(errors)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_base_url(transactional_db):
    call_command("load_demo_content", verbosity=0)
    unreachable = f"http://127.0.0.1:{free_port()}"
    outcome = run_scan(
        base_url=unreachable,
        paths=["/", "/cookie-policy/"],
        scan_settings=ScanSettings(page_timeout=3, time_limit=20, only_states=["none", "reject_all"]),
    )
    reasons = {f.name for f in findings_of(outcome.findings, FindingKind.PAGE_ERROR)}
    assert any("could not make the consent choice" in reason for reason in reasons)
    assert any("ERR_CONNECTION_REFUSED" in reason for reason in reasons)
    assert outcome.result.seconds < 20
    assert not findings_of(outcome.findings, FindingKind.NEVER_SEEN)  # nothing was seen: no noise

    # --json prints one document; --fail-on-findings exits 1 on actionable findings.
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "scan_cookies",
            *("--base-url", unreachable, "--states", "none", "--pages", "1", "--json", "--fail-on-findings"),
            stdout=out,
        )
    assert exit_info.value.code == 1
    document = json.loads(out.getvalue())
    assert document["scan_id"] == ScanReport.objects.first().pk
    assert document["pages"] == ["/"]
    assert {"kind", "name", "page", "state"} <= set(document["findings"][0])

    # Without --json: a readable summary, and exit 0 without --fail-on-findings.
    summary_out = io.StringIO()
    call_command(
        "scan_cookies", "--base-url", unreachable, "--states", "none", "--pages", "1", stdout=summary_out
    )
    summary = summary_out.getvalue()
    assert "1 pages × 1 consent states" in summary
    assert "Page could not be scanned (1):" in summary


def test_the_global_time_limit_stops_the_scan(live_server, transactional_db):
    call_command("load_demo_content", verbosity=0)
    slow_pages = [f"/scan-fixture/slow/?copy={number}" for number in range(5)]
    outcome = run_scan(
        base_url=live_server.url,
        paths=slow_pages,
        scan_settings=ScanSettings(max_tabs=1, page_timeout=15, time_limit=4, only_states=["none"]),
    )
    reasons = [f.name for f in findings_of(outcome.findings, FindingKind.PAGE_ERROR)]
    assert "not scanned: the scan's time limit was reached" in reasons
    # Each page is either cut at the limit or never started (the limit includes starting Chromium).
    assert all(reason.startswith(("the page did not load", "not scanned")) for reason in reasons)
    assert len(reasons) == len(slow_pages)
    assert outcome.result.seconds < 12
    assert outcome.report.message == "Stopped at the time limit."


def test_without_base_url_the_scan_serves_the_site_itself(transactional_db):
    call_command("load_demo_content", verbosity=0)
    out = io.StringIO()
    call_command("scan_cookies", "--json", "--pages", "2", "--states", "none,accept_all", stdout=out)
    document = json.loads(out.getvalue())
    assert document["base_url"].startswith("http://127.0.0.1:")
    assert document["pages"] == ["/", "/privacy-policy/"]
    assert document["states"] == ["none", "accept_all", "withdrawn"]
    kinds = {finding["kind"] for finding in document["findings"]}
    assert "page_error" not in kinds, document["findings"]
    # The demo's tags set what the registry declares: _ga (analytics) was seen, so it is not "never seen".
    never_seen = {finding["name"] for finding in document["findings"] if finding["kind"] == "never_seen"}
    assert "_ga" not in never_seen and "_gid" in never_seen
