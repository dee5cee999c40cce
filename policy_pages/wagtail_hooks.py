"""Admin: the legal report of every policy version. Versions are read-only: no edit or delete views."""

from __future__ import annotations

import datetime

import django_filters

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cookie_registry.approval_routes import ApprovalRoute
from exports.csv_safety import FormulaSafeExportMixin

from .models import PolicyPage, PolicyVersion

version_permission_policy = ModelPermissionPolicy(PolicyVersion)


class PolicyVersionFilterSet(WagtailFilterSet):
    page = django_filters.ModelChoiceFilter(
        label="Policy", empty_label="All policies", queryset=PolicyPage.objects.order_by("title")
    )
    effective_date = django_filters.DateFromToRangeFilter(label="Effective", widget=DateRangePickerWidget)
    published_at = django_filters.DateFromToRangeFilter(label="Published", widget=DateRangePickerWidget)
    is_material_change = django_filters.BooleanFilter(label="Material change")
    approval_route = django_filters.ChoiceFilter(
        label="Route", choices=ApprovalRoute.choices, empty_label="Any route"
    )

    class Meta:
        model = PolicyVersion
        fields = ["page", "approval_route", "is_material_change", "effective_date", "published_at"]


class LinksColumn(Column):
    """The public archived page and the diff with the previous version."""

    def get_value(self, version: PolicyVersion) -> str:
        archived = version.get_absolute_url()
        if version.number == 1:
            return format_html('<a href="{}" target="_blank" rel="noopener">Archived text</a>', archived)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Archived text</a> · '
            '<a href="{}" target="_blank" rel="noopener">Changes from v{}</a>',
            archived,
            version.get_compare_url(version.number - 1),
            version.number - 1,
        )


class PolicyVersionReportView(FormulaSafeExportMixin, ReportView):
    """Every version of every policy, for legal: filterable and exportable to CSV/XLSX."""

    page_title = "Policy versions"
    header_icon = "history"
    model = PolicyVersion
    permission_policy = version_permission_policy
    permission_required = "view"
    filterset_class = PolicyVersionFilterSet
    index_url_name = "policy_versions_report"
    index_results_url_name = "policy_versions_report_results"
    default_ordering = ["-published_at"]
    columns = [
        Column("title", label="Policy"),
        Column("number", label="Version", sort_key="number"),
        Column(
            "effective_date",
            label="Effective",
            sort_key="effective_date",
            accessor=lambda version: f"{version.effective_date:%-d %b %Y}",
        ),
        DateColumn("published_at", label="Published", sort_key="published_at"),
        Column("approval_route", label="Route", accessor="get_approval_route_display"),
        Column("approved_by_name", label="Approved / published by"),
        Column("submitted_by_name", label="Submitted by"),
        Column("change_summary", label="What changed"),
        BooleanColumn("is_material_change", label="Material"),
        LinksColumn("links", label="Public pages"),
    ]
    list_export = [
        "title",
        "number",
        "effective_date",
        "published_at",
        "approved_by_name",
        "approved_at",
        "submitted_by_name",
        "submitted_at",
        "change_summary",
        "is_material_change",
        "approval_route",
        "content_sha256",
        "public_url",
    ]
    export_headings = {
        "title": "Policy",
        "number": "Version",
        "effective_date": "Effective date",
        "published_at": "Published at",
        "approval_route": "Route",
        "approved_by_name": "Approved by",
        "approved_at": "Approved at",
        "submitted_by_name": "Submitted by",
        "submitted_at": "Submitted at",
        "change_summary": "Change summary",
        "is_material_change": "Material change",
        "content_sha256": "SHA-256",
        "public_url": "Archived URL",
    }

    def get_base_queryset(self):
        return PolicyVersion.objects.select_related("page").defer(
            "body_html", "body_text", "summary_html", "registry_snapshot", "table_of_contents"
        )

    def get_filename(self) -> str:
        return f"policy-versions-{datetime.date.today():%Y-%m-%d}"

    def to_row_dict(self, item: PolicyVersion) -> dict:
        item.public_url = archived_url(item, getattr(self, "request", None))
        return super().to_row_dict(item)


def archived_url(version: PolicyVersion, request=None) -> str:
    """The archived text's absolute URL on the policy's own Site (its hostname, port and scheme).

    Wagtail's site root paths are cached, so a long export costs no query per row. A page outside
    every Site has no public address: the path alone is better than an invented host.
    """
    site_id, root_url, page_path = version.page.get_url_parts(request=request) or (None, "", None)
    if page_path is None:
        return ""
    return (
        (root_url or "") + page_path + version.page.reverse_subpage("archived_version", args=[version.number])
    )


class PolicyVersionsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return version_permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_policy_version_report_urls():
    return [
        path("reports/policy-versions/", PolicyVersionReportView.as_view(), name="policy_versions_report"),
        path(
            "reports/policy-versions/results/",
            PolicyVersionReportView.as_view(results_only=True),
            name="policy_versions_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_policy_version_report_menu_item():
    return PolicyVersionsMenuItem(
        "Policy versions",
        reverse("policy_versions_report"),
        name="policy-versions",
        icon_name="history",
        order=650,
    )


def pages_with_versions(pages) -> list[str]:
    """Titles of the given pages, or pages below them, whose published versions are legal records."""
    from django.db.models import Q

    paths = Q()
    for page in pages:
        paths |= Q(page__path__startswith=page.path)
    if not paths:
        return []
    return sorted(set(PolicyVersion.objects.filter(paths).values_list("page__title", flat=True)))


@hooks.register("before_delete_page")
def refuse_deleting_policies_with_versions(request, page):
    """A published policy's history must stay: offer unpublishing instead of a 500 from PROTECT."""
    titles = pages_with_versions([page])
    if titles:
        messages.error(
            request,
            f"“{page.get_admin_display_title()}” cannot be deleted: the published versions of "
            f"{', '.join(titles)} are legal records and must stay available. Unpublish the page instead.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_policies_with_versions(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not hasattr(objects[0], "path"):
        return None
    titles = pages_with_versions(objects)
    if titles:
        messages.error(
            request,
            f"Not deleted: the published versions of {', '.join(titles)} are legal records and must stay "
            "available. Unpublish these pages instead.",
        )
        return redirect(request.META.get("HTTP_REFERER") or reverse("wagtailadmin_explore_root"))
    return None
