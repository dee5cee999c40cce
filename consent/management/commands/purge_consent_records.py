"""Retention job: delete consent records older than the retention period. Safe to run from cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from consent.models import ConsentRecord, ConsentSettings


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a whole number.") from None
    if number < 1:
        raise CommandError("The number must be at least 1.")
    return number


class Command(BaseCommand):
    help = (
        "Delete consent records created more than N days ago (default: Settings › Consent › record "
        "retention days). Idempotent; deletes in batches; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days", type=positive_int, help="Override the retention period (days)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--batch-size", type=positive_int, default=1000, help="Rows per delete statement."
        )

    def handle(
        self, *args: Any, older_than_days: int | None, dry_run: bool, batch_size: int, **options: Any
    ) -> None:
        days = older_than_days or ConsentSettings.load().record_retention_days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old_records = ConsentRecord.objects.filter(created_at__lt=cutoff)
        if dry_run:
            count = old_records.count()
            self.stdout.write(
                f"Dry run: would delete {count} consent record{'s' if count != 1 else ''} "
                f"created before {cutoff:%Y-%m-%d %H:%M} UTC (older than {days} days)."
            )
            return
        count = ConsentRecord.objects.purge_created_before(cutoff, batch_size=batch_size)
        self.stdout.write(
            f"Deleted {count} consent record{'s' if count != 1 else ''} "
            f"created before {cutoff:%Y-%m-%d %H:%M} UTC (older than {days} days)."
        )
