"""``manage.py scan_cookies``: check what the site really stores against the published registry."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cookie_scanner.browser_scan import ScanSettings
from cookie_scanner.models import FindingKind
from cookie_scanner.runner import ScanRefused, run_scan


class Command(BaseCommand):
    help = "Scan the site's pages in headless Chromium in each consent state and compare with the registry."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--base-url", help="Scan this running site (default: serve this site on loopback)."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument("--pages", type=int, help="Scan at most this many pages.")
        parser.add_argument(
            "--fail-on-findings",
            action="store_true",
            help="Exit 1 when anything but informational findings exist.",
        )
        parser.add_argument(
            "--if-changed", action="store_true", help="Skip when nothing was published since the last scan."
        )
        parser.add_argument("--tabs", type=int, default=4, help="Browser tabs at once (default 4).")
        parser.add_argument("--page-timeout", type=float, default=15.0, help="Seconds per page (default 15).")
        parser.add_argument(
            "--time-limit", type=float, default=240.0, help="Seconds for the whole scan (default 240)."
        )
        parser.add_argument(
            "--states",
            help="Comma-separated consent states to scan (none, reject_all, accept_all, only:<key>); default all.",
        )
        parser.add_argument(
            "--block-third-party",
            action="store_true",
            help="Record third-party requests but never send them.",
        )

    def handle(self, *args, **options) -> None:
        if options["pages"] is not None and options["pages"] < 1:
            raise CommandError("--pages must be at least 1.")
        settings = ScanSettings(
            max_tabs=max(1, min(options["tabs"], 16)),
            page_timeout=options["page_timeout"],
            time_limit=options["time_limit"],
            block_third_party=options["block_third_party"],
            only_states=[name.strip() for name in options["states"].split(",")]
            if options["states"]
            else None,
        )
        try:
            outcome = run_scan(
                base_url=options["base_url"],
                max_pages=options["pages"],
                if_changed=options["if_changed"],
                scan_settings=settings,
            )
        except ScanRefused as refusal:
            raise CommandError(str(refusal)) from None
        if outcome.skipped:
            if options["json"]:
                self.stdout.write(json.dumps({"skipped": outcome.skipped}))
            else:
                self.stdout.write(outcome.skipped)
            return
        report = outcome.report
        assert report is not None and outcome.result is not None  # noqa: S101 - only a skipped scan has none
        if options["json"]:
            document = {
                "scan_id": report.pk,
                "time": report.started_at.isoformat(),
                "base_url": outcome.result.base_url,
                "seconds": report.duration_seconds,
                "pages": report.pages,
                "states": report.states,
                "findings": [
                    {
                        key: value
                        for key, value in finding.as_dict().items()
                        if value not in ("", {}) or key == "kind"
                    }
                    for finding in outcome.findings
                ],
            }
            self.stdout.write(json.dumps(document, indent=2, default=str))
        else:
            self.write_summary(outcome)
        if options["fail_on_findings"] and outcome.has_actionable_findings:
            raise SystemExit(1)

    def write_summary(self, outcome) -> None:
        report = outcome.report
        self.stdout.write(
            f"Cookie scan {report.pk}: {len(report.pages)} pages × {len(report.states)} consent states "
            f"in {report.duration_seconds:.1f} s."
        )
        if not outcome.findings:
            self.stdout.write(
                self.style.SUCCESS("No findings: the site stores only what the registry declares.")
            )
            return
        labels = dict(FindingKind.choices)
        for kind, label in labels.items():
            of_kind = [finding for finding in outcome.findings if finding.kind == kind]
            if not of_kind:
                continue
            self.stdout.write(f"\n{label} ({len(of_kind)}):")
            for finding in of_kind:
                where = ", ".join(
                    part
                    for part in (finding.page, finding.state and f"state {finding.state}", finding.setter)
                    if part
                )
                suggestion = (
                    f" → suggested: {finding.suggested_category} / {finding.suggested_provider}"
                    if finding.suggested_category or finding.suggested_provider
                    else ""
                )
                self.stdout.write(f"  - {finding.name}{f' ({where})' if where else ''}{suggestion}")
