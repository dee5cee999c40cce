"""``manage.py publish_scheduled`` (Wagtail's command, extended) says what it published, or "nothing due"."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone


def run_publish_scheduled(*args: str) -> str:
    out = StringIO()
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


def test_reports_nothing_due(published_policy):
    assert run_publish_scheduled().strip() == "Nothing due."


def test_reports_each_scheduled_publication(published_policy):
    page = published_policy
    page.effective_date = timezone.localdate()
    page.change_summary = "Scheduled wording."
    page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))

    output = run_publish_scheduled()

    assert "Published: Cookie Policy (policy page, /cookie-policy/)" in output
    assert "1 published, 0 unpublished." in output
    assert published_policy.versions.count() == 2
    assert run_publish_scheduled().strip() == "Nothing due."  # and nothing twice


def test_dry_run_changes_nothing_and_keeps_wagtails_listing(published_policy):
    published_policy.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    output = run_publish_scheduled("--dryrun")
    assert "Revisions to be published:" in output and "Published:" not in output
    assert published_policy.versions.count() == 1
