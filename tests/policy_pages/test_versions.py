"""Publishing a policy freezes a version; the public history serves exactly what was published."""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Revision

from cookie_registry.models import CookieCategory
from cookie_registry.versioning import one_registry_change
from policy_pages.freezing import content_digest
from policy_pages.models import PolicyVersion
from policy_pages.versions import policy_versions_in_force
from tests.fixtures.registry import cookie, publish

from .conftest import publish_policy

ATOM = "{http://www.w3.org/2005/Atom}"


def policy_text(response) -> str:
    """The policy itself (the site frame also carries registry data for the consent banner)."""
    return response.content.decode().split('class="policy__body', 1)[1].split("</article>", 1)[0]


def add_cookie_to_analytics(name: str) -> None:
    """A registry change, published the way the admin's Publish button does it."""
    analytics = CookieCategory.objects.get(key="analytics")
    analytics.cookies.add(cookie(name, duration_unit="days", duration_value=90))
    publish(analytics)


@pytest.fixture
def two_versions(published_policy):
    """Version 2: the editor publishes the policy together with the registry change it announces
    (one change: the registry's own versioning then finds the live page already archived)."""
    with one_registry_change():
        add_cookie_to_analytics("_gac_conv")
        publish_policy(
            published_policy, summary="We now use Google Ads conversion measurement.", is_material_change=True
        )
    return published_policy


def test_publishing_creates_numbered_versions(two_versions):
    versions = list(two_versions.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    first, second = versions
    assert first.effective_date == timezone.localdate() - datetime.timedelta(days=30)
    assert second.change_summary == "We now use Google Ads conversion measurement."
    assert second.is_material_change and not first.is_material_change
    assert second.revision_id == two_versions.live_revision_id
    assert "_gac_conv" in second.body_text and "_gac_conv" not in first.body_text
    assert second.content_sha256 == content_digest(
        second.title, second.effective_date.isoformat(), second.summary_html, second.body_html
    )
    assert [c["key"] for c in second.registry_snapshot["categories"]] == [
        "necessary",
        "preferences",
        "analytics",
        "marketing",
    ]


def test_archived_version_keeps_the_registry_table_it_was_published_with(client, two_versions):
    add_cookie_to_analytics("_later")  # a registry change after v2: the live page and a new v3 follow it

    first = client.get("/cookie-policy/versions/1/")
    assert first.status_code == 200
    html = first.content.decode()
    assert "Archived version, not current" in html
    assert 'href="/cookie-policy/"' in html  # link to the current version
    # Printed, every sheet repeats this header row: what is printed, which version, from when.
    effective = timezone.localdate() - datetime.timedelta(days=30)
    assert (
        '<thead class="print-frame__header" aria-hidden="true"><tr><td>'
        f"Cookie Policy · Version 1 · effective {effective:%-d %B %Y} · archived, not current</td></tr></thead>"
    ) in html
    assert "<style" not in html  # the site's CSP allows no inline styles
    body = policy_text(first)
    assert "<code>_ga</code>" in body
    assert "_gac_conv" not in body and "_later" not in body

    second = client.get("/cookie-policy/versions/2/")
    assert "Archived version, not current" in second.content.decode()
    assert "_gac_conv" in policy_text(second) and "_later" not in policy_text(second)

    third = client.get("/cookie-policy/versions/3/")
    assert "This is the current version" in third.content.decode()
    assert "_later" in policy_text(third)

    live_response = client.get("/cookie-policy/")
    assert "_later" in policy_text(live_response)
    live = live_response.content.decode()
    assert "Version 3 · effective" in live
    assert 'href="/cookie-policy/versions/"' in live


def test_history_lists_every_version(client, two_versions):
    html = client.get("/cookie-policy/versions/").content.decode()
    assert 'href="/cookie-policy/versions/1/"' in html and 'href="/cookie-policy/versions/2/"' in html
    assert "We now use Google Ads conversion measurement." in html
    assert 'href="/cookie-policy/versions/1/compare/2/"' in html
    assert "<strong>Yes</strong>" in html  # v2 is material


def test_compare_marks_the_registry_change(client, two_versions):
    response = client.get("/cookie-policy/versions/1/compare/2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-diff="added"' in html  # the new table row
    # Cookie names carry <wbr> after "_" (phones wrap there), so the inserted name may be marked in pieces.
    assert re.search(r"<ins>_gac_(</ins><wbr><ins>|<wbr>)conv</ins>", html), html
    assert "New cookie in Analytics: _gac_conv" in html  # the registry summary
    assert "This is a material change" in html


def test_a_compare_is_diffed_once_then_read_back_in_one_query(client, two_versions, settings):
    """Frozen versions never change: their diff is stored, so an uncached compare is one lookup."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policy_pages.models import PolicyVersionComparison

    settings.PAGE_CACHE_ENABLED = False
    first = client.get("/cookie-policy/versions/1/compare/2/")
    assert first.status_code == 200
    assert PolicyVersionComparison.objects.count() == 1
    with (
        mock.patch("policy_pages.views.diff_html", side_effect=AssertionError("diffed again")),
        mock.patch("policy_pages.views.registry_changes", side_effect=AssertionError("diffed again")),
        CaptureQueriesContext(connection) as queries,
    ):
        second = client.get("/cookie-policy/versions/1/compare/2/")
    assert second.content == first.content
    assert PolicyVersionComparison.objects.count() == 1
    comparison_queries = [q["sql"] for q in queries if "policy_pages_policyversion" in q["sql"]]
    assert len(comparison_queries) == 1, comparison_queries
    assert "body_html" not in comparison_queries[0], "the versions' large columns are not loaded"


def test_compare_marks_words_inside_paragraphs(client, published_policy):
    body = list(published_policy.body.raw_data)
    body[1]["value"] = "<p>Cookies are small text files a website stores on your device.</p>"
    published_policy.body = [(block["type"], block["value"]) for block in body]
    publish_policy(published_policy, summary="Clearer wording.")
    html = client.get("/cookie-policy/versions/1/compare/2/").content.decode()
    assert "<ins>text</ins>" in html
    assert "<del>site</del>" in html and "<ins>website</ins>" in html
    assert "None: the cookies, categories, providers and retention periods listed were the same." in html


def test_feed_lists_every_version(client, two_versions):
    for url in ("/cookie-policy/versions/feed/", "/policies/feed/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
        entries = feed.findall(f"{ATOM}entry")
        titles = [entry.find(f"{ATOM}title").text for entry in entries]
        assert (
            titles[0].startswith("Cookie Policy: version 2, effective") and "(material change)" in titles[0]
        )
        assert titles[1].startswith("Cookie Policy: version 1, effective")
        assert entries[0].find(f"{ATOM}link").attrib["href"].endswith("/cookie-policy/versions/2/")


@pytest.mark.parametrize(
    "url",
    [
        "/cookie-policy/versions/3/",
        "/cookie-policy/versions/0/",
        "/cookie-policy/versions/99999999999999999999999/",
        "/cookie-policy/versions/abc/",
        "/cookie-policy/versions/1/compare/1/",
        "/cookie-policy/versions/1/compare/7/",
        "/cookie-policy/versions/1/compare/x/",
        "/cookie-policy/versions/-1/",
        "/cookie-policy/versions/upcoming/",
    ],
)
def test_unknown_versions_are_not_found(client, two_versions, url):
    assert client.get(url).status_code == 404


def test_compare_in_reverse_order_redirects_to_the_canonical_url(client, two_versions):
    response = client.get("/cookie-policy/versions/2/compare/1/")
    assert response.status_code == 301
    assert response["Location"] == "/cookie-policy/versions/1/compare/2/"


def test_versions_cannot_be_changed_or_deleted(two_versions):
    version = two_versions.versions.get(number=1)
    version.change_summary = "Rewritten history"
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        version.delete()
    with pytest.raises(PermissionDenied):
        PolicyVersion.objects.filter(pk=version.pk).update(change_summary="Rewritten history")
    with pytest.raises(PermissionDenied):
        PolicyVersion.objects.all().delete()
    version.refresh_from_db()
    assert version.change_summary == "First published version."


def test_purge_revisions_keeps_the_revisions_of_versions(two_versions):
    """Wagtail's purge deletes every old revision, even a page's live one, unless it is protected."""
    drafts = [two_versions.save_revision() for _ in range(3)]
    version_revisions = set(two_versions.versions.values_list("revision_id", flat=True))
    out = io.StringIO()

    call_command("purge_revisions", stdout=out)

    remaining = set(
        Revision.page_revisions.filter(object_id=str(two_versions.pk)).values_list("id", flat=True)
    )
    assert remaining == version_revisions | {drafts[-1].pk}  # older drafts purged, versions' kept
    assert "Ignored 2 revisions because one or more protected relations exist" in out.getvalue()
    two_versions.refresh_from_db()
    assert two_versions.live_revision_id in version_revisions
    assert two_versions.versions.count() == 2


def test_policy_versions_in_force(two_versions, django_assert_num_queries):
    with django_assert_num_queries(1):
        in_force = policy_versions_in_force()
    assert [(version.page_id, version.number) for version in in_force] == [(two_versions.pk, 2)]
    assert in_force[0].get_absolute_url() == "/cookie-policy/versions/2/"

    first = two_versions.versions.get(number=1)
    assert policy_versions_in_force(at=first.published_at) == [first]
    assert policy_versions_in_force(at=first.published_at - datetime.timedelta(seconds=1)) == []


def test_unpublished_policy_has_no_version_in_force(two_versions):
    two_versions.unpublish()
    assert policy_versions_in_force() == []
    assert two_versions.versions.count() == 2  # the record stays


def test_demo_content_has_a_history_to_show(demo_site, client):
    call_command("load_demo_content", verbosity=0)  # idempotent: no further versions

    cookie_versions = PolicyVersion.objects.filter(page__slug="cookie-policy").order_by("number")
    assert [version.number for version in cookie_versions] == [1, 2]
    assert cookie_versions[0].effective_date < cookie_versions[1].effective_date == timezone.localdate()
    assert cookie_versions[1].change_summary
    assert PolicyVersion.objects.filter(page__slug="privacy-policy").count() == 1
    diff = client.get("/cookie-policy/versions/1/compare/2/").content.decode()
    assert "<ins>LinkedIn</ins>" in diff
