"""*Reports › Cookie scans*: findings of a scan (the latest by default), filters, CSV/XLSX, runtime drift,
and the "add as draft cookie" action for undeclared findings."""

from __future__ import annotations

from typing import Any

import django_filters

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cookie_registry.models import CookieCategory
from exports.csv_safety import FormulaSafeExportMixin

from .drafts import add_draft_cookie
from .models import FindingKind, RuntimeCookieDrift, ScanFinding, ScanReport

VIEW_PERMISSION = "cookie_scanner.view_scanreport"


def scan_choices() -> list[tuple[int, str]]:
    return [
        (report.pk, f"#{report.pk} · {timezone.localtime(report.started_at):%Y-%m-%d %H:%M}")
        for report in ScanReport.objects.order_by("-started_at", "-pk")[:50]
    ]


def state_choices() -> list[tuple[str, str]]:
    states = (
        ScanFinding.objects.exclude(state="").order_by("state").values_list("state", flat=True).distinct()
    )
    return [(state, state) for state in states]


class ScanFindingFilterSet(WagtailFilterSet):
    report = django_filters.TypedChoiceFilter(label=_("Scan"), choices=scan_choices, coerce=int)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FindingKind.choices)
    state = django_filters.ChoiceFilter(label=_("Consent state"), choices=state_choices)
    storage_type = django_filters.ChoiceFilter(
        label=_("Storage"),
        choices=[
            ("cookie", "cookie"),
            ("local_storage", "localStorage"),
            ("session_storage", "sessionStorage"),
        ],
    )

    class Meta:
        model = ScanFinding
        fields: list[str] = []


class DraftActionColumn(Column):
    """An "Add as draft cookie" link on undeclared findings, for users who may edit the registry."""

    cell_template_name = "cookie_scanner/admin/draft_action_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_add_drafts"] = bool(
            request and request.user.has_perm("cookie_registry.change_cookiecategory")
        )
        return context


class CookieScanReportView(FormulaSafeExportMixin, ReportView):
    model = ScanFinding
    page_title = _("Cookie scans")
    header_icon = "search"
    results_template_name = "cookie_scanner/admin/scan_findings_results.html"
    index_url_name = "cookie_scans_report"
    index_results_url_name = "cookie_scans_report_results"
    filterset_class = ScanFindingFilterSet
    permission_policy = ModelPermissionPolicy(ScanReport)
    permission_required = "view"
    is_searchable = True
    search_fields = ["name", "page", "setter"]
    default_ordering = "kind"
    paginate_by = 100
    columns = [
        Column("kind_label", label=_("Kind"), accessor="get_kind_display"),
        Column("name", label=_("Name")),
        Column("storage_type", label=_("Storage")),
        Column("page", label=_("Page")),
        Column("state", label=_("Consent state")),
        Column("setter", label=_("Set by")),
        Column("category_key", label=_("Category")),
        Column(
            "suggestion",
            label=_("Suggestion"),
            accessor=lambda f: " / ".join(
                part for part in (f.suggested_category, f.suggested_provider) if part
            ),
        ),
        DraftActionColumn("action", label=_("Action"), accessor="pk"),
    ]
    list_export = [
        "report_id",
        "kind",
        "name",
        "storage_type",
        "page",
        "state",
        "setter",
        "category_key",
        "suggested_category",
        "suggested_provider",
        "evidence",
    ]
    export_headings = {
        "report_id": "Scan",
        "kind": "Kind",
        "name": "Name",
        "storage_type": "Storage",
        "page": "Page",
        "state": "Consent state",
        "setter": "Set by",
        "category_key": "Category",
        "suggested_category": "Suggested category",
        "suggested_provider": "Suggested provider",
        "evidence": "Evidence",
    }

    def get_filename(self) -> str:
        return f"cookie-scan-findings-{timezone.now():%Y-%m-%d}"

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("report")
        if not self.request.GET.get("report"):
            latest = ScanReport.objects.order_by("-started_at", "-pk").first()
            queryset = queryset.filter(report=latest) if latest else queryset.none()
        return queryset

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["recent_scans"] = ScanReport.objects.order_by("-started_at", "-pk")[:10]
            context["drift"] = RuntimeCookieDrift.objects.order_by("-last_seen")[:50]
        return context


class DraftCookieForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CookieCategory.objects.order_by("sort_order", "name"),
        to_field_name="key",
    )


def add_draft_cookie_view(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Confirm (GET) and create (POST) a draft cookie in the chosen category from an undeclared finding."""
    if not request.user.has_perm("cookie_registry.change_cookiecategory") or not request.user.has_perm(
        VIEW_PERMISSION
    ):
        raise PermissionDenied
    finding = get_object_or_404(ScanFinding, pk=finding_id, kind=FindingKind.UNDECLARED)
    initial = {"category": finding.suggested_category} if finding.suggested_category else {}
    form = DraftCookieForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        add_draft_cookie(finding, category, request.user)
        messages.success(
            request,
            _("“%(name)s” was added to a draft of “%(category)s”. Review it and submit it to Legal review.")
            % {"name": finding.name, "category": category.name},
        )
        return redirect(AdminURLFinder(request.user).get_edit_url(category))
    return TemplateResponse(
        request, "cookie_scanner/admin/add_draft_cookie.html", {"finding": finding, "form": form}
    )
