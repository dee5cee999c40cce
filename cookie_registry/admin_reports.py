"""Read-only admin listings in the "Cookie registry" menu: every cookie, and the registry versions."""

from __future__ import annotations

import django_filters

from django.urls import path, reverse

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from exports.csv_safety import FormulaSafeExportMixin

from .models import Cookie, CookieCategory, Party, Provider, RegistryVersion, StorageType

ALL_COOKIES = "cookie_registry_all_cookies"
VERSIONS = "cookie_registry_versions"


class AllCookiesFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=CookieCategory.objects.order_by("sort_order", "name")
    )
    provider = django_filters.ModelChoiceFilter(queryset=Provider.objects.order_by("name"))
    party = django_filters.ChoiceFilter(choices=Party.choices)
    storage_type = django_filters.ChoiceFilter(label="Storage", choices=StorageType.choices)
    category_live = django_filters.BooleanFilter(label="Category published", field_name="category__live")

    class Meta:
        model = Cookie
        fields = ["category", "provider", "party", "storage_type", "category_live"]


def category_edit_url(cookie: Cookie) -> str:
    return reverse("wagtailsnippets_cookie_registry_cookiecategory:edit", args=(cookie.category_id,))


class AllCookiesReportView(FormulaSafeExportMixin, ReportView):
    """Every declared cookie across categories; cookies are edited inside their category."""

    page_title = "All cookies"
    header_icon = "table"
    index_url_name = f"{ALL_COOKIES}:index"
    index_results_url_name = f"{ALL_COOKIES}:results"
    filterset_class = AllCookiesFilterSet
    is_searchable = True
    search_fields = ["name", "purpose", "domain"]
    search_backend_name = None
    permission_policy = ModelPermissionPolicy(CookieCategory)
    any_permission_required = ["add", "change", "delete", "view"]
    columns = [
        TitleColumn("name", label="Cookie", get_url=category_edit_url),
        Column("category", label="Category"),
        Column(
            "category_status",
            label="Category status",
            accessor=lambda c: "live" if c.category.live else "draft",
        ),
        Column("provider", label="Provider", accessor=lambda c: c.provider or "This website"),
        Column("party", label="Party", accessor="get_party_display"),
        Column("duration", label="Duration", accessor="duration_display"),
        Column("storage_type", label="Storage", accessor="get_storage_type_display"),
    ]
    list_export = [
        "name",
        "category",
        "provider",
        "domain",
        "party",
        "purpose",
        "duration_display",
        "storage_type",
    ]
    export_headings = {"duration_display": "Duration"}

    def get_queryset(self):
        cookies = Cookie.objects.select_related("category", "provider").order_by(
            "category__sort_order", "category__name", "sort_order", "pk"
        )
        return self.search_queryset(cookies)

    def get_filename(self) -> str:
        return "cookie-registry-all-cookies"


class RegistryVersionsReportView(FormulaSafeExportMixin, ReportView):
    """Each version visitors consented to, and what changed (see cookie_registry/versioning.py)."""

    page_title = "Registry versions"
    header_icon = "history"
    index_url_name = f"{VERSIONS}:index"
    index_results_url_name = f"{VERSIONS}:results"
    permission_policy = ModelPermissionPolicy(CookieCategory)
    any_permission_required = ["add", "change", "delete", "view"]
    columns = [
        Column("number", label="Version"),
        DateColumn("created_at", label="Created"),
        Column("changes", label="What changed", accessor=lambda v: "; ".join(v.changes)),
        Column("approval_route", label="Route", accessor="get_approval_route_display"),
        Column("approved_by_name", label="Approved / published by"),
        Column("submitted_by_name", label="Submitted by"),
    ]
    list_export = [
        "number",
        "created_at",
        "changes",
        "approval_route",
        "approved_by_name",
        "approved_at",
        "submitted_by_name",
        "submitted_at",
    ]
    export_headings = {
        "approval_route": "Route",
        "approved_by_name": "Approved by",
        "approved_at": "Approved at",
        "submitted_by_name": "Submitted by",
        "submitted_at": "Submitted at",
    }

    def get_queryset(self):
        return RegistryVersion.objects.defer("snapshot", "workflow_history").order_by("-number")


class ReportViewSet(ViewSet):
    """A menu entry in the registry group that opens one read-only report."""

    view_class: type[ReportView] = ReportView

    def get_urlpatterns(self):
        return [
            path("", self.view_class.as_view(), name="index"),
            path("results/", self.view_class.as_view(results_only=True), name="results"),
        ]


class AllCookiesViewSet(ReportViewSet):
    name = ALL_COOKIES
    icon = "table"
    menu_label = "All cookies"
    menu_order = 150
    view_class = AllCookiesReportView


class RegistryVersionsViewSet(ReportViewSet):
    name = VERSIONS
    icon = "history"
    menu_label = "Registry versions"
    menu_order = 500
    view_class = RegistryVersionsReportView
