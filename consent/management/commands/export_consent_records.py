"""Export consent records of any size to a file, with the report's filters; prints and records the SHA-256."""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from consent import conf, exporting
from consent.models import ConsentAction, ConsentRecord


def iso_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Write consent records (newest first) to a CSV or XLSX file in constant memory, with the same "
        "filters as Reports › Consent records. Prints the row count and the file's SHA-256 and lists the "
        "export under the report's Recent exports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, help="File to write ('-' for standard output, CSV only)."
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="file_format")
        parser.add_argument("--action", choices=[action.value for action in ConsentAction])
        parser.add_argument("--registry-version", type=int)
        parser.add_argument("--language", help="Records given on pages in this language (e.g. de).")
        parser.add_argument("--from", type=iso_day, dest="day_from", help="First day (UTC), inclusive.")
        parser.add_argument("--to", type=iso_day, dest="day_to", help="Last day (UTC), inclusive.")
        parser.add_argument("--consent-id", help="Consent ids starting with this.")

    def records(self, options: dict[str, Any]) -> QuerySet[ConsentRecord]:
        records = ConsentRecord.objects.all()
        if options["action"]:
            records = records.filter(action=options["action"])
        if options["registry_version"] is not None:
            records = records.filter(registry_version_number=options["registry_version"])
        if options.get("language"):
            records = records.filter(language=options["language"])
        if options["day_from"]:
            records = records.filter(
                created_at__gte=datetime.datetime.combine(
                    options["day_from"], datetime.time.min, datetime.UTC
                )
            )
        if options["day_to"]:
            end = options["day_to"] + datetime.timedelta(days=1)
            records = records.filter(
                created_at__lt=datetime.datetime.combine(end, datetime.time.min, datetime.UTC)
            )
        if options["consent_id"]:
            records = records.filter(consent_id__startswith=options["consent_id"])
        return records

    def handle(self, *args: Any, output: str, file_format: str, **options: Any) -> None:
        records = self.records(options)
        started = time.monotonic()
        filters = " ".join(
            f"--{name.replace('_', '-')} {value}"
            for name, value in options.items()
            if name in {"action", "registry_version", "language", "day_from", "day_to", "consent_id"}
            and value is not None
        )
        if file_format == "xlsx":
            if output == "-":
                raise CommandError("XLSX needs a file: pass --output FILE.xlsx.")
            if exporting.capped_count(records, conf.xlsx_max_rows()) > conf.xlsx_max_rows():
                raise CommandError(
                    f"More than {conf.xlsx_max_rows():,} records match, more than an XLSX sheet holds: "
                    "use --format csv or narrow the filters."
                )
            with open(output, "w+b") as workbook:
                result = exporting.ExportResult(rows=exporting.write_xlsx(records, workbook))
                result.sha256 = exporting.sha256_of_file(workbook)
        else:
            result = exporting.ExportResult()

            def finished(done: exporting.ExportResult) -> None:
                result.rows, result.sha256 = done.rows, done.sha256

            handle = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
            try:
                for piece in exporting.csv_chunks(records, on_finished=finished):
                    handle.write(piece)
            finally:
                if output != "-":
                    handle.close()
        exporting.record_export(
            created_by="manage.py export_consent_records",
            file_format=file_format,
            filters=filters,
            result=result,
        )
        elapsed = time.monotonic() - started
        self.stderr.write(
            f"Wrote {result.rows:,} consent records to {output} in {elapsed:.1f} s "
            f"({result.rows / elapsed if elapsed else 0:,.0f} rows/s).\nSHA-256: {result.sha256}"
        )
