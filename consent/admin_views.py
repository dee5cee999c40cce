"""The "Consent records" report in the Wagtail admin: read-only, filterable, exportable, with a chart.

There are deliberately no create, edit or delete views: records are proof of consent and only the
retention job removes them. Viewing needs superuser status or ``consent.view_consentrecord``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import django_filters

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from exports.csv_safety import FormulaSafeExportMixin

from .models import ConsentAction, ConsentRecord

CHART_MAX_DAYS = 90
CHART_WIDTH = 720
CHART_HEIGHT = 160
# One colour per stored action; the legend names them, the table under the chart gives the numbers.
CHART_SERIES = [
    (ConsentAction.ACCEPT_ALL, "Accept all", "#2e7d32"),
    (ConsentAction.REJECT_ALL, "Reject all", "#c62828"),
    (ConsentAction.CUSTOM, "Custom", "#1565c0"),
    (ConsentAction.WITHDRAW, "Withdraw", "#ef6c00"),
    (ConsentAction.RENEWAL, "Renewal", "#6a1b9a"),
]


def registry_version_choices() -> list[tuple[int, str]]:
    numbers = (
        ConsentRecord.objects.order_by("-registry_version_number")
        .values_list("registry_version_number", flat=True)
        .distinct()
    )
    return [(number, f"Version {number}") for number in numbers]


class ConsentRecordFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)
    action = django_filters.ChoiceFilter(label="Action", choices=ConsentAction.choices)
    registry_version_number = django_filters.TypedChoiceFilter(
        label="Registry version", choices=registry_version_choices, coerce=int
    )

    class Meta:
        model = ConsentRecord
        fields: list[str] = []


@dataclass
class ChartBar:
    day: datetime.date
    total: int
    counts: list[int]
    segments: list[dict[str, Any]]
    x: float
    width: float


def choices_per_day(queryset: QuerySet[ConsentRecord]) -> dict[str, Any]:
    """Stacked bars of records per day and action, as SVG geometry (no JavaScript, no chart library).

    Covers the last CHART_MAX_DAYS days that have records in the (filtered) queryset, with empty days
    shown as gaps so the time axis is honest.
    """
    rows = (
        queryset.order_by()
        .annotate(day=TruncDate("created_at"))
        .values("day", "action")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    by_day: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        by_day.setdefault(row["day"], {})[row["action"]] = row["count"]
    if not by_day:
        return {"bars": [], "series": CHART_SERIES}
    last_day = max(by_day)
    first_day = max(min(by_day), last_day - datetime.timedelta(days=CHART_MAX_DAYS - 1))
    days = [first_day + datetime.timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]
    tallest = max(sum(by_day.get(day, {}).values()) for day in days) or 1
    slot = CHART_WIDTH / len(days)
    bars = []
    for index, day in enumerate(days):
        counts = by_day.get(day, {})
        y = float(CHART_HEIGHT)
        segments = []
        for action, label, colour in CHART_SERIES:
            count = counts.get(action, 0)
            if not count:
                continue
            height = CHART_HEIGHT * count / tallest
            y -= height
            segments.append(
                {
                    "label": label,
                    "colour": colour,
                    "count": count,
                    "y": round(y, 2),
                    "height": round(height, 2),
                }
            )
        bars.append(
            ChartBar(
                day=day,
                total=sum(counts.values()),
                counts=[counts.get(action, 0) for action, _, _ in CHART_SERIES],
                segments=segments,
                x=round(index * slot + slot * 0.1, 2),
                width=round(max(slot * 0.8, 1), 2),
            )
        )
    return {
        "bars": bars,
        "series": CHART_SERIES,
        "tallest": tallest,
        "first_day": first_day,
        "last_day": last_day,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "truncated": min(by_day) < first_day,
    }


class ConsentRecordReportView(FormulaSafeExportMixin, ReportView):
    model = ConsentRecord
    page_title = "Consent records"
    header_icon = "tick-inverse"
    results_template_name = "consent/admin/consent_records_results.html"
    index_url_name = "consent_records_report"
    index_results_url_name = "consent_records_report_results"
    filterset_class = ConsentRecordFilterSet
    permission_policy = ModelPermissionPolicy(ConsentRecord)
    permission_required = "view"
    is_searchable = True
    search_fields = ["consent_id"]
    default_ordering = "-created_at"
    paginate_by = 50
    columns = [
        DateColumn("created_at", label="When", sort_key="created_at"),
        Column("consent_id", label="Consent ID"),
        Column("action_label", label="Action", accessor="get_action_display"),
        Column("granted_label", label="Granted", accessor=lambda record: ", ".join(record.granted) or "—"),
        Column("refused_label", label="Refused", accessor=lambda record: ", ".join(record.refused) or "—"),
        Column("registry_version_number", label="Registry version"),
        Column("policy_versions_label", label="Policy versions"),
        BooleanColumn("gpc", label="GPC"),
        Column("user_agent_family", label="Browser"),
        Column("ip_network", label="IP network"),
    ]
    list_export = [
        "created_at",
        "consent_id",
        "action",
        "requested_action",
        "granted",
        "refused",
        "registry_version_number",
        "policy_versions_label",
        "gpc",
        "ip_network",
        "user_agent_family",
        "expires_at",
    ]
    export_headings = {
        "created_at": "Created at (UTC)",
        "consent_id": "Consent ID",
        "action": "Action",
        "requested_action": "Requested action",
        "granted": "Granted",
        "refused": "Refused",
        "registry_version_number": "Registry version",
        "policy_versions_label": "Policy versions",
        "gpc": "GPC",
        "ip_network": "IP network",
        "user_agent_family": "Browser",
        "expires_at": "Expires at (UTC)",
    }

    def get_filename(self) -> str:
        return f"consent-records-{timezone.now():%Y-%m-%d}"

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["chart"] = choices_per_day(self.object_list)
        return context
