"""Walk every hash chain and frozen text; exit non-zero naming the first row that does not match."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from evidence.verification import ChainReport, chained_models, verify_chain, verify_digests


class Command(BaseCommand):
    help = (
        "Verify the hash chains of consent records, policy versions, registry versions and the daily "
        "digests. Streams rows in chain order (bounded memory). Exit status 1 names the first faulty row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=500, help="Rows read per database round trip.")

    def handle(self, *args: Any, chunk_size: int, **options: Any) -> None:
        reports: list[ChainReport] = []
        try:
            for model in chained_models():
                reports.append(verify_chain(model, chunk_size=max(1, chunk_size)))
            reports.append(verify_digests())
        except DatabaseError as error:
            raise CommandError(f"The database could not be read: {error}".strip()) from None
        for report in reports:
            self.stdout.write(self._summary(report))
        faults = [fault for report in reports for fault in report.faults]
        if faults:
            raise CommandError(f"Evidence does not verify. First mismatch: {faults[0]}")
        total = sum(report.checked for report in reports)
        self.stdout.write(
            self.style.SUCCESS(f"All evidence verifies: {total} rows in {len(reports)} chains.")
        )

    def _summary(self, report: ChainReport) -> str:
        purged = f", positions up to {report.purged_up_to} purged" if report.purged_up_to else ""
        if not report.ok:
            return f"{report.table}: {report.checked} rows verified, then FAULT at {report.faults[0]}"
        return f"{report.table}: {report.checked} rows checked{purged}, head {report.head_hash[:16]}…: OK"
