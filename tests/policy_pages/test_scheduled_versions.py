"""A version approved for a future date becomes current only when its date comes (publish_scheduled)."""

from __future__ import annotations

import datetime

import time_machine

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import rich_text, streamfield

from policy_pages.versions import policy_versions_in_force

from .conftest import edit_form_data

NEW_PARAGRAPH = "<p>Cookies are small text files that a website stores in your browser.</p>"


def test_scheduled_version_becomes_current_on_its_date(admin_client, published_policy):
    go_live = (timezone.localtime() + datetime.timedelta(days=7)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    data = edit_form_data(
        published_policy,
        effective_date=go_live.date().isoformat(),
        change_summary="Plainer wording of what cookies are.",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        body=streamfield(
            [
                ("heading", {"text": "What cookies are", "anchor": "what"}),
                ("paragraph", rich_text(NEW_PARAGRAPH)),
                ("cookie_declarations", {"category": "", "caption": "Every cookie this site uses"}),
            ]
        ),
    )
    data["action-publish"] = "action-publish"
    assert (
        admin_client.post(reverse("wagtailadmin_pages:edit", args=[published_policy.pk]), data).status_code
        == 302
    )

    # Scheduled: still version 1 in force, with an announcement and a preview of the new text.
    assert published_policy.versions.count() == 1
    live = admin_client.get("/cookie-policy/").content.decode()
    assert "Version 1 · effective" in live
    assert f"A new version of this policy takes effect on {go_live:%-d %B %Y}" in live
    upcoming = admin_client.get("/cookie-policy/versions/upcoming/")
    assert upcoming.status_code == 200
    assert "Not yet in force." in upcoming.content.decode()
    assert "small text files that a website stores in your browser" in upcoming.content.decode()
    changes = admin_client.get("/cookie-policy/versions/upcoming/?changes=1").content.decode()
    assert "<ins>text</ins>" in changes and "Plainer wording of what cookies are." in changes

    with time_machine.travel(go_live - datetime.timedelta(hours=1), tick=False):
        call_command("publish_scheduled", verbosity=0)
    assert published_policy.versions.count() == 1
    assert [version.number for version in policy_versions_in_force()] == [1]

    with time_machine.travel(go_live + datetime.timedelta(minutes=5), tick=False):
        call_command("publish_scheduled", verbosity=0)
        in_force = policy_versions_in_force()

    assert [version.number for version in in_force] == [2]
    version = in_force[0]
    assert version.effective_date == go_live.date()
    assert version.published_at == go_live + datetime.timedelta(minutes=5)
    assert version.change_summary == "Plainer wording of what cookies are."
    assert "small text files that a website stores in your browser" in version.body_html
    assert admin_client.get("/cookie-policy/versions/upcoming/").status_code == 404
    live = admin_client.get("/cookie-policy/").content.decode()
    assert "Version 2 · effective" in live and "takes effect on" not in live
    # Looking back, version 1 was in force the day before.
    assert [v.number for v in policy_versions_in_force(at=go_live - datetime.timedelta(days=1))] == [1]
