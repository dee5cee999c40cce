"""``manage.py import_known_cookies FILE.csv``: add well-known cookies (Open Cookie Database columns)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cookie_scanner.known_cookies import KnownCookieFileError, parse_rows
from cookie_scanner.models import KnownCookie


class Command(BaseCommand):
    help = "Add or update known cookies from a CSV in the Open Cookie Database's columns."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV file (UTF-8) with the Open Cookie Database header row.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = parse_rows(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except (KnownCookieFileError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from None
        added = updated = 0
        with transaction.atomic():
            for row in rows:
                _, created = KnownCookie.objects.update_or_create(
                    name=row.name,
                    platform=row.platform,
                    defaults={
                        "category": row.category,
                        "domain": row.domain,
                        "description": row.description,
                        "retention": row.retention,
                        "data_controller": row.data_controller,
                        "wildcard": row.wildcard,
                    },
                )
                added += created
                updated += not created
        self.stdout.write(self.style.SUCCESS(f"Known cookies: {added} added, {updated} updated."))
