"""Load a registry JSON file: all or nothing, every problem reported with its location."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cookie_registry.import_review import ImportRefused, import_registry_as, import_user
from cookie_registry.transfer import RegistryImportError


class Command(BaseCommand):
    help = (
        "Import a cookie registry JSON file (from export_registry) as --user NAME: changed entries become "
        "drafts submitted to Legal review; --publish (superusers only) publishes them at once. "
        "Nothing is written if any entry is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file to import.")
        parser.add_argument("--user", help="The user the import acts as (revisions, workflow submission).")
        parser.add_argument(
            "--publish", action="store_true", help="Publish at once, skipping review (superusers only)."
        )

    def handle(self, *args, path: str, user: str | None, publish: bool, **options):
        try:
            acting_user = import_user(user, publish=publish)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error.reason}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            ) from error
        try:
            report = import_registry_as(data, user=acting_user, publish=publish)
        except RegistryImportError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            raise CommandError(f"Nothing imported: {len(error.errors)} problem(s) in {path}.") from error
        outcome = "published" if publish else "submitted to Legal review as drafts"
        self.stdout.write(
            self.style.SUCCESS(
                f"Registry imported by {acting_user.get_username()} ({outcome}): {len(report.created)} created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
            )
        )
