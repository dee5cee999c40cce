"""The admin home panel: the last scan's status at a glance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from wagtail.admin.ui.components import Component

from .models import ScanReport


class LastCookieScanPanel(Component):
    name = "last_cookie_scan"
    order = 150
    template_name = "cookie_scanner/admin/dashboard_panel.html"

    def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        report = ScanReport.objects.order_by("-started_at", "-pk").first()
        counts = []
        if report is not None:
            labels = dict(report.findings.model._meta.get_field("kind").flatchoices)
            counts = [
                (labels.get(row["kind"], row["kind"]), row["count"])
                for row in report.findings.values("kind").annotate(count=Count("pk")).order_by("kind")
            ]
        return {"report": report, "counts": counts}
