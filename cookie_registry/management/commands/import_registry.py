"""Load a registry JSON file: all or nothing, every problem reported with its location."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cookie_registry.transfer import RegistryImportError, import_registry_data


class Command(BaseCommand):
    help = "Import a cookie registry JSON file (from export_registry). Nothing is written if any entry is invalid."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file to import.")

    def handle(self, *args, path: str, **options):
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
            report = import_registry_data(data)
        except RegistryImportError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            raise CommandError(f"Nothing imported: {len(error.errors)} problem(s) in {path}.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Registry imported: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
