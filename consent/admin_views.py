"""The "Consent records" report in the Wagtail admin: read-only, filterable, exportable, with a chart.

There are deliberately no create, edit or delete views: records are proof of consent and only the
retention job removes them. Viewing needs superuser status or ``consent.view_consentrecord``.
Built for tens of millions of rows: every filter has a matching index, counts are capped, the chart
reads ``ConsentDailyCount`` and exports are read in keyset chunks (``consent.exporting``).
"""

from __future__ import annotations

import datetime
import math
import shlex
import tempfile
from dataclasses import dataclass
from typing import Any

import django_filters

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from exports.csv_safety import FormulaSafeExportMixin

from . import conf, daily_counts, exporting
from .models import ConsentAction, ConsentExport, ConsentRecord

CHART_MAX_DAYS = 366
CHART_WIDTH = 720
CHART_HEIGHT = 220
CHART_LEFT = 56  # room for the y-axis labels
CHART_BOTTOM = 40  # room for the x-axis labels and title
CHART_TOP = 10
CHART_MAX_BAR = 48
# One colour per stored action; the legend names them, the table under the chart gives the numbers.
CHART_SERIES = [
    (ConsentAction.ACCEPT_ALL, "Accept all", "#2e7d32"),
    (ConsentAction.REJECT_ALL, "Reject all", "#c62828"),
    (ConsentAction.CUSTOM, "Custom", "#1565c0"),
    (ConsentAction.WITHDRAW, "Withdraw", "#ef6c00"),
    (ConsentAction.RENEWAL, "Renewal", "#6a1b9a"),
]


def registry_version_choices() -> list[tuple[int, str]]:
    """Every registry version (from its own small table, not a DISTINCT over the records)."""
    from cookie_registry.models import RegistryVersion

    numbers = RegistryVersion.objects.order_by("-number").values_list("number", flat=True)
    return [(number, f"Version {number}") for number in numbers]


class ConsentRecordFilterSet(WagtailFilterSet):
    """Every filter defaults to all values: an empty filter form shows every record."""

    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=ConsentAction.choices, empty_label=_("All actions")
    )
    # A ChoiceFilter, not a TypedChoiceFilter: the latter has no empty choice, so the form used to fall
    # back to its first option (the latest version) and silently hid every older record.
    registry_version_number = django_filters.ChoiceFilter(
        label=_("Registry version"), choices=registry_version_choices, empty_label=_("All registry versions")
    )

    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=lambda: list(settings.LANGUAGES), empty_label=_("All languages")
    )

    class Meta:
        model = ConsentRecord
        fields: list[str] = []


class CappedCountPaginator(WagtailPaginator):
    """Counts matching records only up to ``CONSENT_REPORT_COUNT_CAP`` (an index range, never the table)."""

    @cached_property
    def count(self) -> int:
        return exporting.capped_count(self.object_list, conf.report_count_cap())

    @cached_property
    def is_capped(self) -> bool:
        return self.count > conf.report_count_cap()

    @cached_property
    def items_count_label(self) -> str:
        if self.is_capped:
            return f"more than {conf.report_count_cap():,} {self.verbose_name_plural} (narrow the filters)"
        return super().items_count_label


@dataclass
class ChartBar:
    day: datetime.date
    total: int
    counts: list[int]
    segments: list[dict[str, Any]]
    x: float
    width: float


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value``: a y-axis maximum people can read."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return math.ceil(step * magnitude)
    return 10 * magnitude  # pragma: no cover


def x_ticks(days: list[datetime.date]) -> list[tuple[int, str]]:
    """Which days get a label: every day up to two weeks, Mondays up to three months, else each month's 1st."""
    if len(days) <= 14:
        return [(index, f"{day.day} {day:%b}") for index, day in enumerate(days)]
    if len(days) <= 92:
        return [(index, f"{day.day} {day:%b}") for index, day in enumerate(days) if day.weekday() == 0]
    return [(index, f"{day:%b %Y}") for index, day in enumerate(days) if day.day == 1]


def choices_per_day(
    by_day: dict[datetime.date, dict[str, int]],
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> dict[str, Any]:
    """Stacked bars of records per day and action, as SVG geometry with labelled axes (no JavaScript).

    The time axis runs over the selected dates (or the days with records), at most CHART_MAX_DAYS of
    them, with empty days as gaps; bars keep a readable width from one day to a year.
    """
    if not by_day:
        return {"bars": [], "series": CHART_SERIES}
    last_day = min(last, max(by_day)) if last else max(by_day)
    first_day = max(first, min(by_day)) if first else min(by_day)
    first_day = max(first_day, last_day - datetime.timedelta(days=CHART_MAX_DAYS - 1))
    days = [first_day + datetime.timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]
    tallest = max(sum(by_day.get(day, {}).values()) for day in days)
    y_max = nice_ceiling(tallest)
    plot_width = CHART_WIDTH - CHART_LEFT
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    slot = plot_width / len(days)
    bar_width = max(min(slot * 0.8, CHART_MAX_BAR), 1)
    bars = []
    for index, day in enumerate(days):
        counts = by_day.get(day, {})
        y = float(CHART_TOP + plot_height)
        segments = []
        for action, label, colour in CHART_SERIES:
            count = counts.get(action, 0)
            if not count:
                continue
            height = plot_height * count / y_max
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
                x=round(CHART_LEFT + index * slot + (slot - bar_width) / 2, 2),
                width=round(bar_width, 2),
            )
        )
    y_ticks = [
        {"value": f"{round(y_max * step / 4):,}", "y": round(CHART_TOP + plot_height * (1 - step / 4), 2)}
        for step in range(5)
    ]
    return {
        "bars": bars,
        "series": CHART_SERIES,
        "tallest": tallest,
        "y_max": y_max,
        "y_ticks": y_ticks,
        "x_ticks": [
            {"label": label, "x": round(CHART_LEFT + index * slot + slot / 2, 2)}
            for index, label in x_ticks(days)
        ],
        "first_day": first_day,
        "last_day": last_day,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "plot_top": CHART_TOP,
        "plot_bottom": CHART_TOP + plot_height,
        "x_title_y": CHART_HEIGHT - 4,
        "y_title_x": 12,
        "y_title_y": CHART_TOP + plot_height / 2,
        "truncated": min(by_day) < first_day and not first,
    }


def chart_markup(chart: dict[str, Any]) -> dict[str, str]:
    """The chart's SVG body and its table of numbers, built in Python.

    A year is ~1,800 bar segments: through the template engine that took seconds per page; as joined
    strings it takes milliseconds. Every value is a number, a date or a fixed label, escaped anyway.
    """
    parts = []
    for tick in chart["y_ticks"]:
        parts.append(
            f'<line x1="{chart["left"]}" y1="{tick["y"]}" x2="{chart["width"]}" y2="{tick["y"]}" stroke="#ddd"/>'
            f'<text x="{chart["left"] - 6}" y="{tick["y"]}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="11" fill="currentColor" data-y-tick>{escape(tick["value"])}</text>'
        )
    for bar in chart["bars"]:
        day = f"{bar.day.day} {bar.day:%b %Y}"
        parts.append(f"<g><title>{day}: {bar.total}</title>")
        for segment in bar.segments:
            label = escape(segment["label"])
            parts.append(
                f'<rect x="{bar.x}" y="{segment["y"]}" width="{bar.width}" height="{segment["height"]}" '
                f'fill="{segment["colour"]}" data-action="{label}" data-count="{segment["count"]}">'
                f"<title>{day} · {label}: {segment['count']}</title></rect>"
            )
        parts.append("</g>")
    for tick in chart["x_ticks"]:
        parts.append(
            f'<text x="{tick["x"]}" y="{chart["plot_bottom"] + 14}" text-anchor="middle" font-size="11" '
            f'fill="currentColor" data-x-tick>{escape(tick["label"])}</text>'
        )
    rows = []
    for bar in chart["bars"]:
        if bar.total:
            cells = "".join(f"<td>{count}</td>" for count in bar.counts)
            rows.append(
                f'<tr data-chart-day="{bar.day:%Y-%m-%d}"><th scope="row">{bar.day.day} {bar.day:%b %Y}</th>'
                f"{cells}<td>{bar.total}</td></tr>"
            )
    return {"svg_body": mark_safe("".join(parts)), "table_rows": mark_safe("".join(rows))}  # noqa: S308


class ConsentRecordReportView(FormulaSafeExportMixin, ReportView):
    model = ConsentRecord
    page_title = _("Consent records")
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
    paginator_class = CappedCountPaginator
    columns = [
        DateColumn("created_at", label=_("When"), sort_key="created_at"),
        Column("consent_id", label=_("Consent ID")),
        Column("action_label", label=_("Action"), accessor="get_action_display"),
        Column("granted_names", label=_("Granted")),
        Column("refused_names", label=_("Refused")),
        Column("registry_version_number", label=_("Registry version")),
        Column("policy_versions_label", label=_("Policy versions")),
        Column("language", label=_("Language")),
        BooleanColumn("gpc", label=_("GPC")),
        Column("user_agent_family", label=_("Browser")),
        Column("ip_network", label=_("IP network")),
    ]
    list_export = ["created_at"]  # shows Wagtail's export buttons; the files come from consent.exporting

    def setup(self, request, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.ignored_filters: list[str] = []

    # -- filters: invalid values are dropped one by one, with a note, instead of failing or ignoring all

    @cached_property
    def filters(self) -> ConsentRecordFilterSet:
        data = self.request.GET.copy()
        filterset = self.filterset_class(data=data, request=self.request)
        if not filterset.is_valid():
            for name in list(filterset.form.errors):
                label = filterset.filters[name].label if name in filterset.filters else name
                values = [
                    f"{key}={value}"
                    for key in list(data)
                    if key.startswith(name)
                    for value in data.getlist(key)
                ]
                for key in [key for key in data if key.startswith(name)]:
                    del data[key]
                self.ignored_filters.append(
                    f"Ignored the {str(label).lower()} filter: {', '.join(values) or 'value'} is not a valid choice."
                )
            filterset = self.filterset_class(data=data, request=self.request)
        return filterset

    def search_queryset(self, queryset: QuerySet[ConsentRecord]) -> QuerySet[ConsentRecord]:
        """Consent ids are random and case-sensitive: match their start (an index range), not any substring."""
        if not self.is_searching:
            return queryset
        return queryset.filter(consent_id__startswith=self.search_query.strip())

    def order_queryset(self, queryset: QuerySet[ConsentRecord]) -> QuerySet[ConsentRecord]:
        ordering = self.ordering or self.default_ordering
        tie = "-id" if ordering.startswith("-") else "id"
        return queryset.order_by(ordering, tie)

    def decorate_paginated_queryset(self, object_list: Any) -> Any:
        names = exporting.category_names()
        for record in object_list:
            record.granted_names = exporting.names_of(record.granted, names) or "—"
            record.refused_names = exporting.names_of(record.refused, names) or "—"
        return object_list

    # -- exports

    def get(self, request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.is_export:
            return self.export_response(self.get_filtered_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_filename(self) -> str:
        return f"consent-records-{timezone.now():%Y-%m-%d}"

    def filter_query(self) -> str:
        params = self.request.GET.copy()
        for key in ("export", self.page_kwarg, "_w_filter_fragment"):
            params.pop(key, None)
        return params.urlencode()

    def command_line(self, file_format: str) -> str:
        """The ``export_consent_records`` call that makes the same export."""
        parts = ["python", "manage.py", "export_consent_records", "--format", file_format]
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        if data.get("action"):
            parts += ["--action", data["action"]]
        if data.get("registry_version_number") not in (None, ""):
            parts += ["--registry-version", str(data["registry_version_number"])]
        if data.get("language"):
            parts += ["--language", data["language"]]
        dates = data.get("created_at")
        if dates and dates.start:
            parts += ["--from", dates.start.date().isoformat()]
        if dates and dates.stop:
            parts += ["--to", dates.stop.date().isoformat()]
        if self.search_query:
            parts += ["--consent-id", self.search_query.strip()]
        parts += ["--output", f"{self.get_filename()}.{file_format}"]
        return shlex.join(parts)

    def refuse(self, message: str) -> HttpResponseRedirect:
        messages.error(self.request, message)
        query = self.filter_query()
        return HttpResponseRedirect(self.request.path + (f"?{query}" if query else ""))

    def export_response(self, queryset: QuerySet[ConsentRecord], file_format: str) -> HttpResponseBase:
        stream_limit = conf.export_stream_max_rows()
        limit = min(stream_limit, conf.xlsx_max_rows()) if file_format == self.FORMAT_XLSX else stream_limit
        rows = exporting.capped_count(queryset, limit)
        if file_format == self.FORMAT_XLSX and rows > conf.xlsx_max_rows():
            return self.refuse(
                f"An XLSX sheet holds at most {conf.xlsx_max_rows():,} records and more than that match. "
                "Download CSV instead, or narrow the filters."
            )
        if rows > stream_limit:
            return self.refuse(
                f"More than {stream_limit:,} records match: too many to download from the admin. "
                f"Narrow the filters, or ask whoever runs the server to run: {self.command_line(file_format)} "
                "(it prints the file's SHA-256, which is then listed under Recent exports)."
            )
        created_by = self.request.user.get_username()
        filters = self.filter_query()
        if file_format == self.FORMAT_CSV:

            def finished(result: exporting.ExportResult) -> None:
                exporting.record_export(
                    created_by=created_by, file_format="csv", filters=filters, result=result
                )

            response = StreamingHttpResponse(
                exporting.csv_chunks(queryset, on_finished=finished), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
            return response
        output = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        result = exporting.ExportResult(rows=exporting.write_xlsx(queryset, output))
        result.sha256 = exporting.sha256_of_file(output)
        exporting.record_export(created_by=created_by, file_format="xlsx", filters=filters, result=result)
        response = FileResponse(
            output,
            as_attachment=True,
            filename=f"{self.get_filename()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["X-Content-SHA256"] = result.sha256
        return response

    # -- chart and context

    def chart(self) -> dict[str, Any]:
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        dates = data.get("created_at")
        first = dates.start.date() if dates and dates.start else None
        last = dates.stop.date() if dates and dates.stop else None
        if self.is_searching:
            by_day = daily_counts.counts_per_day_of(self.object_list)
            earlier = False
        elif data.get("language"):
            # The daily counts have no language: count the window's records (index on language, day).
            window_start = (last or timezone.now().date()) - datetime.timedelta(days=CHART_MAX_DAYS - 1)
            start = max(first or window_start, window_start)
            by_day = daily_counts.counts_per_day_of(self.object_list.filter(created_at__date__gte=start))
            earlier = (first or datetime.date.min) < window_start and self.object_list.filter(
                created_at__date__lt=window_start
            ).exists()
        else:
            # Only the window the chart can show is read: at most CHART_MAX_DAYS days up to the last one.
            window_start = (last or timezone.now().date()) - datetime.timedelta(days=CHART_MAX_DAYS - 1)
            action = data.get("action") or None
            version = data.get("registry_version_number")
            version_number = int(version) if version is not None and version != "" else None
            by_day = daily_counts.counts_per_day(
                day_from=max(first or window_start, window_start),
                day_to=last,
                action=action,
                registry_version_number=version_number,
            )
            earlier = (first or datetime.date.min) < window_start and daily_counts.any_before(
                window_start, action=action, registry_version_number=version_number
            )
        chart = choices_per_day(by_day, first=first, last=last)
        chart["truncated"] = chart.get("truncated") or earlier
        if chart["bars"]:
            chart.update(chart_markup(chart))
        return chart

    def active_filter_summary(self) -> list[str]:
        """Every filter in force, in words (the report shows "all records" when there is none)."""
        summary = []
        if self.filters.is_valid():
            data = self.filters.form.cleaned_data
            dates = data.get("created_at")
            if dates and (dates.start or dates.stop):
                start = f"{dates.start:%Y-%m-%d}" if dates.start else "the first record"
                stop = f"{dates.stop:%Y-%m-%d}" if dates.stop else "today"
                summary.append(f"Date: {start} to {stop}")
            if data.get("action"):
                summary.append(f"Action: {ConsentAction(data['action']).label}")
            if data.get("registry_version_number") not in (None, ""):
                summary.append(f"Registry version: {data['registry_version_number']}")
            if data.get("language"):
                summary.append(
                    f"Language: {dict(settings.LANGUAGES).get(data['language'], data['language'])}"
                )
        if self.is_searching:
            summary.append(f"Consent ID starts with: {self.search_query.strip()}")
        return summary

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["chart"] = self.chart()
        context["ignored_filters"] = self.ignored_filters
        context["filter_summary"] = self.active_filter_summary()
        context["recent_exports"] = list(ConsentExport.objects.all()[:5])
        context["export_stream_max_rows"] = conf.export_stream_max_rows()
        return context
