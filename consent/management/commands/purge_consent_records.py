"""Retention job: delete consent records older than the retention period. Safe to run from cron.

Batched (one short transaction per batch), reports progress and rows per second, and resumable: an
interrupted run has kept every finished batch, and ``--before`` repeats the exact cutoff it printed.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from consent import daily_counts
from consent.models import ConsentRecord, ConsentSettings


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a whole number.") from None
    if number < 1:
        raise CommandError("The number must be at least 1.")
    return number


def non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a number.") from None
    if number < 0:
        raise CommandError("The pause cannot be negative.")
    return number


def aware_timestamp(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not an ISO timestamp (e.g. 2026-01-31T03:17:00+00:00).") from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = (
        "Delete consent records created more than N days ago (default: Settings › Consent › record "
        "retention days). Idempotent and resumable; deletes in batches and reports rows/s; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days", type=positive_int, help="Override the retention period (days)."
        )
        parser.add_argument(
            "--before",
            type=aware_timestamp,
            help="Exact cutoff (ISO timestamp), e.g. to resume an interrupted run with the cutoff it printed.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--batch-size", type=positive_int, default=1000, help="Rows per delete statement."
        )
        parser.add_argument(
            "--pause",
            type=non_negative_float,
            default=0.2,
            help=(
                "Seconds to wait between batches (default 0.2: kept consent POST p99 within 2× idle in "
                "bench/RESULTS.md); 0 purges fastest."
            ),
        )
        parser.add_argument(
            "--progress-every", type=float, default=5.0, help="Seconds between progress lines (default 5)."
        )

    def handle(
        self,
        *args: Any,
        older_than_days: int | None,
        before: datetime.datetime | None,
        dry_run: bool,
        batch_size: int,
        pause: float,
        progress_every: float,
        **options: Any,
    ) -> None:
        if before is not None and older_than_days is not None:
            raise CommandError("Give either --before or --older-than-days, not both.")
        if before is not None:
            cutoff = before
            period = f"before the given cutoff {cutoff.isoformat()}"
        else:
            days = older_than_days or ConsentSettings.load().record_retention_days
            cutoff = timezone.now() - datetime.timedelta(days=days)
            period = f"older than {days} days"
        old_records = ConsentRecord.objects.filter(created_at__lt=cutoff)
        if dry_run:
            count = old_records.count()
            self.stdout.write(
                f"Dry run: would delete {count} consent record{'s' if count != 1 else ''} "
                f"created before {cutoff:%Y-%m-%d %H:%M} UTC ({period})."
            )
            return
        total = old_records.count()
        self.stdout.write(
            f"Purging {total:,} consent records created before {cutoff.isoformat()} in batches of {batch_size:,}. "
            f"If interrupted, resume with: manage.py purge_consent_records --before {cutoff.isoformat()}"
        )
        started = last_report = time.monotonic()

        def progress(deleted: int) -> None:
            nonlocal last_report
            now = time.monotonic()
            if now - last_report >= progress_every:
                last_report = now
                share = f" ({100 * deleted / total:.0f} %)" if total else ""
                self.stdout.write(
                    f"… {deleted:,} of {total:,} deleted{share}, {deleted / (now - started):,.0f} rows/s"
                )

        deleted_so_far = 0

        def on_batch(deleted: int) -> None:
            nonlocal deleted_so_far
            deleted_so_far = deleted
            progress(deleted)

        try:
            count = ConsentRecord.objects.purge_created_before(
                cutoff, batch_size=batch_size, pause_seconds=pause, on_batch=on_batch
            )
        except KeyboardInterrupt:
            daily_counts.forget_purged()
            raise CommandError(
                f"Interrupted after deleting {deleted_so_far:,} records (every finished batch is kept). "
                f"Resume with: manage.py purge_consent_records --before {cutoff.isoformat()}"
            ) from None
        daily_counts.forget_purged()
        elapsed = time.monotonic() - started
        rate = f"{count / elapsed:,.0f}" if elapsed > 0 else "—"
        self.stdout.write(
            f"Deleted {count} consent record{'s' if count != 1 else ''} "
            f"created before {cutoff:%Y-%m-%d %H:%M} UTC ({period}) in {elapsed:.1f} s ({rate} rows/s)."
        )
