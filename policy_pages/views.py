"""Public views of a policy's history, reached through the routes on :class:`PolicyPage`.

Every view reads frozen :class:`PolicyVersion` rows (never the live registry), so what an archived
version shows cannot change, and each renders with a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.db import IntegrityError, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext

from cookie_registry import declaration
from cookie_registry.registry_diff import RegistryChange, diff_registries
from cookie_registry.services import localized_registry
from cookie_registry.snapshot import RegistrySnapshot
from languages.locales import language_of

from .freezing import render_policy_content
from .html_diff import HtmlDiff, diff_html
from .models import PolicyPage, PolicyVersion, PolicyVersionComparison
from .versions import current_version, in_force, translation_lag, upcoming_revision

if TYPE_CHECKING:
    from wagtail.models import Revision

# Columns the list views need; the frozen HTML is only loaded where it is shown.
LIST_FIELDS = (
    "id",
    "page_id",
    "number",
    "title",
    "effective_date",
    "published_at",
    "change_summary",
    "is_material_change",
)


def versions_base_url(page: PolicyPage, request: HttpRequest) -> str:
    """``<policy>/versions/``, computed once per request (item URLs are built from it)."""
    return (page.get_url(request) or page.url or "/") + page.reverse_subpage("version_history")


def attach_urls(versions: list[PolicyVersion], base_url: str) -> list[PolicyVersion]:
    for version in versions:
        version.url = f"{base_url}{version.number}/"
        version.compare_previous_url = (
            f"{base_url}{version.number - 1}/compare/{version.number}/" if version.number > 1 else ""
        )
    return versions


def running_header(title: str, detail: str) -> str:
    """The line printed at the top of every sheet (the repeated table header in policy_base.html)."""
    return f"{title} · {detail}"


def render_page(
    request: HttpRequest, page: PolicyPage, template: str, context: dict[str, Any]
) -> HttpResponse:
    context = {"page": page, "self": page, "request": request, **context}
    return TemplateResponse(request, template, context)


def version_history(request: HttpRequest, page: PolicyPage) -> HttpResponse:
    base_url = versions_base_url(page, request)
    versions = attach_urls(list(page.versions.only(*LIST_FIELDS).order_by("-number")), base_url)
    return render_page(
        request,
        page,
        "policy_pages/version_history.html",
        {
            "versions": versions,
            "current": versions[0] if versions else None,
            "versions_url": base_url,
            "feed_url": base_url + "feed/",
            "upcoming": upcoming_revision(page),
            "translation_lag": translation_lag(page),
            "running_header": running_header(page.title, gettext("version history")),
        },
    )


def get_version(page: PolicyPage, number: int) -> PolicyVersion:
    try:
        return page.versions.get(number=number)
    except (PolicyVersion.DoesNotExist, OverflowError) as error:
        raise Http404("No such version of this policy") from error


def archived_version(request: HttpRequest, page: PolicyPage, number: int) -> HttpResponse:
    version = get_version(page, number)
    latest, _ = in_force(page)
    base_url = versions_base_url(page, request)
    attach_urls([version], base_url)
    is_current = latest is not None and latest.number == version.number
    return render_page(
        request,
        page,
        "policy_pages/archived_version.html",
        {
            "version": version,
            "latest": latest,
            "is_current": is_current,
            "running_header": running_header(
                version.title,
                gettext("Version %(number)s · effective %(date)s")
                % {"number": version.number, "date": date_format(version.effective_date, "j F Y")}
                + ("" if is_current else " · " + gettext("archived, not current")),
            ),
            "versions_url": base_url,
            "next_url": f"{base_url}{version.number + 1}/" if not is_current else "",
            "compare_current_url": f"{base_url}{version.number}/compare/{latest.number}/"
            if latest is not None and not is_current
            else "",
        },
    )


def registry_changes(
    old_snapshot: dict[str, Any] | RegistrySnapshot, new_snapshot: dict[str, Any] | RegistrySnapshot
) -> list[RegistryChange]:
    """Every registry difference between two frozen copies (stored JSON or a live snapshot)."""

    def as_snapshot(value: dict[str, Any] | RegistrySnapshot) -> RegistrySnapshot:
        return value if isinstance(value, RegistrySnapshot) else RegistrySnapshot.from_data(value)

    return diff_registries(as_snapshot(old_snapshot), as_snapshot(new_snapshot))


def stored_comparison(page: PolicyPage, a: int, b: int) -> PolicyVersionComparison | None:
    """The comparison of versions ``a`` and ``b`` of ``page``, computed and stored on first use.

    One query when it exists (with the two versions' list columns); otherwise the two versions
    are loaded and diffed once. Versions are immutable, so the stored diff never goes stale.
    """
    light = [f"{side}__{field}" for side in ("older", "newer") for field in LIST_FIELDS]
    found = (
        PolicyVersionComparison.objects.filter(
            older__page=page, older__number=a, newer__page=page, newer__number=b
        )
        .select_related("older", "newer")
        .only(*[field.name for field in PolicyVersionComparison._meta.concrete_fields], *light)
        .first()
    )
    if found is not None:
        return found
    versions = {version.number: version for version in page.versions.filter(number__in=[a, b])}
    if len(versions) != 2:
        return None
    old, new = versions[a], versions[b]
    summary_diff = diff_html(old.summary_html, new.summary_html)
    body_diff = diff_html(old.body_html, new.body_html)
    comparison = PolicyVersionComparison(
        older=old,
        newer=new,
        summary_diff_html=summary_diff.html,
        summary_insertions=summary_diff.insertions,
        summary_deletions=summary_diff.deletions,
        body_diff_html=body_diff.html,
        body_insertions=body_diff.insertions,
        body_deletions=body_diff.deletions,
        # Stored as plain data (the template reads ``action`` and ``text`` from either form).
        registry_changes=[
            asdict(change) for change in registry_changes(old.registry_snapshot, new.registry_snapshot)
        ],
    )
    try:
        with transaction.atomic():
            comparison.save()
    except IntegrityError:  # another request stored the same pair meanwhile: same content
        pass
    return comparison


def compare_versions(request: HttpRequest, page: PolicyPage, a: int, b: int) -> HttpResponse:
    if a == b:
        raise Http404("Compare two different versions")
    if a > b:  # older first, always; keeps one canonical URL per pair
        return HttpResponsePermanentRedirect(f"{versions_base_url(page, request)}{b}/compare/{a}/")
    comparison = stored_comparison(page, a, b)
    if comparison is None:
        raise Http404("No such version of this policy")
    old, new = comparison.older, comparison.newer
    base_url = versions_base_url(page, request)
    attach_urls([old, new], base_url)
    return render_page(
        request,
        page,
        "policy_pages/compare_versions.html",
        {
            "old": old,
            "new": new,
            "summary_diff": HtmlDiff(
                comparison.summary_diff_html, comparison.summary_insertions, comparison.summary_deletions
            ),
            "body_diff": HtmlDiff(
                comparison.body_diff_html, comparison.body_insertions, comparison.body_deletions
            ),
            "title_changed": old.title != new.title,
            "running_header": running_header(
                page.title,
                gettext("changes from version %(old)s to %(new)s") % {"old": old.number, "new": new.number},
            ),
            "registry_changes": comparison.registry_changes,
            "versions_url": base_url,
        },
    )


def scheduled_page(page: PolicyPage) -> tuple[Revision, PolicyPage]:
    revision = upcoming_revision(page)
    if revision is None:
        raise Http404("No new version of this policy is scheduled")
    return revision, revision.as_object()


def upcoming_version(request: HttpRequest, page: PolicyPage) -> HttpResponse:
    """The approved text waiting for its go-live date, rendered as it would be today.

    Registry tables show the registry as published now; the version is frozen when it goes live.
    """
    revision, upcoming_page = scheduled_page(page)
    rendered = render_policy_content(upcoming_page, request)
    latest = current_version(page)
    base_url = versions_base_url(page, request)
    body_diff = diff_html(latest.body_html, rendered["body_html"]) if latest else None
    summary_diff = diff_html(latest.summary_html, rendered["summary_html"]) if latest else None
    return render_page(
        request,
        page,
        "policy_pages/upcoming_version.html",
        {
            "upcoming_page": upcoming_page,
            "go_live_at": revision.approved_go_live_at,
            "rendered": rendered,
            "latest": latest,
            "body_diff": body_diff,
            "summary_diff": summary_diff,
            "show_changes": request.GET.get("changes") == "1" and latest is not None,
            "running_header": running_header(
                upcoming_page.title,
                gettext("new version, effective %(date)s")
                % {"date": date_format(upcoming_page.effective_date or revision.approved_go_live_at, "j F Y")}
                + " · "
                + gettext("not yet in force"),
            ),
            "registry_changes": registry_changes(
                latest.registry_snapshot, localized_registry(language_of(page))
            )
            if latest
            else [],
            "versions_url": base_url,
        },
    )


class PolicyChangesFeed(Feed):
    """Atom feed of published policy versions: one policy's, or every live policy's."""

    feed_type = Atom1Feed
    item_limit = 50

    def get_object(self, request: HttpRequest, page: PolicyPage | None = None) -> PolicyPage | None:
        self.request = request
        return page

    def title(self, page: PolicyPage | None) -> str:
        if page is None:
            return gettext("Policy changes")
        return gettext("%(title)s: changes") % {"title": page.title}

    def subtitle(self, page: PolicyPage | None) -> str:
        return gettext("Every new version, with its effective date and what changed.")

    def link(self, page: PolicyPage | None) -> str:
        if page is not None:
            return versions_base_url(page, self.request)
        return "/"

    def items(self, page: PolicyPage | None) -> list[PolicyVersion]:
        queryset = PolicyVersion.objects.only(*LIST_FIELDS).select_related("page")
        queryset = queryset.filter(page=page) if page is not None else queryset.filter(page__live=True)
        versions = list(queryset.order_by("-published_at", "-id")[: self.item_limit])
        bases: dict[int, str] = {}
        for version in versions:
            if version.page_id not in bases:
                bases[version.page_id] = versions_base_url(version.page, self.request)
            attach_urls([version], bases[version.page_id])
        return versions

    def item_title(self, version: PolicyVersion) -> str:
        title = gettext("%(title)s: version %(number)s, effective %(date)s") % {
            "title": version.title,
            "number": version.number,
            "date": date_format(version.effective_date, "d F Y"),
        }
        return title + (" " + gettext("(material change)") if version.is_material_change else "")

    def item_description(self, version: PolicyVersion) -> str:
        return linebreaks(escape(version.change_summary or gettext("No summary given.")))

    def item_link(self, version: PolicyVersion) -> str:
        return version.url

    def item_pubdate(self, version: PolicyVersion):
        return version.published_at

    def item_updateddate(self, version: PolicyVersion):
        return version.published_at


def version_feed(request: HttpRequest, page: PolicyPage) -> HttpResponse:
    return PolicyChangesFeed()(request, page=page)


def all_policies_feed(request: HttpRequest) -> HttpResponse:
    return PolicyChangesFeed()(request)


# --- Lookups for legal and outsiders --------------------------------------------------------------


def version_on(request: HttpRequest, page: PolicyPage, day: str) -> HttpResponse:
    """``on/<YYYY-MM-DD>/``: the version in force that day (latest effective on or before it)."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date (YYYY-MM-DD)") from None
    if len(day) != 10:
        raise Http404("Not a date (YYYY-MM-DD)")
    version = (
        page.versions.filter(effective_date__lte=date)
        .order_by("-effective_date", "-number")
        .only("number")
        .first()
    )
    if version is None:
        raise Http404("No version of this policy was in force on that day")
    return HttpResponseRedirect(f"{versions_base_url(page, request)}{version.number}/")


def compare_picker(request: HttpRequest, page: PolicyPage) -> HttpResponse:
    """The history page's compare form (``?a=&b=``) lands on the diff route; older number first."""
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404("Choose two versions to compare") from None
    a, b = sorted((a, b))
    get_version(page, a), get_version(page, b)
    return HttpResponseRedirect(f"{versions_base_url(page, request)}{a}/compare/{b}/")


def version_declaration(request: HttpRequest, page: PolicyPage, number: int, fmt: str) -> HttpResponse:
    """The cookie declaration frozen with one policy version, as JSON or CSV."""
    if fmt not in ("json", "csv"):
        raise Http404("Only .json and .csv")
    version = get_version(page, number)
    name = f"{page.slug}-v{version.number}-cookie-declaration"
    if fmt == "csv":
        return declaration.csv_response(version.registry_snapshot, name)
    return declaration.json_response(
        version.registry_snapshot,
        name,
        policy=version.title,
        policy_version=version.number,
        effective_date=version.effective_date.isoformat(),
        chain_hash=version.chain_hash,
    )
